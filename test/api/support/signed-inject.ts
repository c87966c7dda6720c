import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildSignedRequest } from '../../../src/api/signature/sign.ts'

/** A JSON object as parsed from a response (values still unchecked). */
export type JsonObject = { readonly [key: string]: unknown }

/** What one in-process call answered. */
export interface InjectedResponse {
  status: number
  /** The raw body: grep it for secrets. */
  text: string
  /** The body parsed; the test fails when it is not a JSON object (protocol.md §8: always JSON). */
  json: JsonObject
  headers: Readonly<Record<string, string | string[] | number | undefined>>
}

/** Options of {@link signedInject}. */
export interface SignedInjectOptions {
  action: string
  /** Business parameters, e.g. `{InstanceId: 'r-prod'}`. */
  params?: Readonly<Record<string, string>>
  accessKeyId: string
  accessKeySecret: string
  /** Default `V3` (openapi-core); `V1` as pop-core. */
  scheme?: 'V1' | 'V3'
  /** Default `POST` for V3, `GET` for V1. */
  method?: 'GET' | 'POST'
  securityToken?: string
  /** Default `2020-01-16`. */
  version?: string
  /** Unsigned headers added to the request, e.g. `x-forwarded-for`. */
  headers?: Readonly<Record<string, string>>
  /** Peer address of the simulated socket; default light-my-request's `127.0.0.1`. */
  remoteAddress?: string
}

/**
 * Signs a request with `buildSignedRequest` (as the official SDKs sign) and sends it to the
 * app in process with `app.inject()`. Never throws for an error status: assert on it.
 */
export async function signedInject(
  app: FastifyInstance,
  options: SignedInjectOptions
): Promise<InjectedResponse> {
  const signed = buildSignedRequest({
    endpoint: 'http://127.0.0.1',
    scheme: options.scheme ?? 'V3',
    action: options.action,
    params: options.params ?? {},
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
    ...(options.version === undefined ? {} : { version: options.version }),
  })
  const response = await app.inject({
    method: signed.method,
    url: signed.query === '' ? '/' : `/?${signed.query}`,
    headers: { ...options.headers, ...signed.headers },
    ...(signed.body.length === 0 ? {} : { payload: signed.body }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  })
  const parsed: unknown = JSON.parse(response.body)
  assert.ok(isJsonObject(parsed), `not a JSON object: ${response.body.slice(0, 200)}`)
  return {
    status: response.statusCode,
    text: response.body,
    json: parsed,
    headers: response.headers,
  }
}

/** Asserts a success envelope (HTTP 200, `Code` 200, `Success` true) and returns its `Data`. */
export function dataOf(response: InjectedResponse): unknown {
  assert.equal(response.status, 200, `HTTP status; body: ${response.text.slice(0, 500)}`)
  assert.equal(response.json['Code'], 200)
  assert.equal(response.json['Success'], true)
  return response.json['Data']
}

/** Asserts an error body with `code` and HTTP `status`; returns its `Detail` ('' when none). */
export function assertApiError(response: InjectedResponse, code: string, status: number): string {
  assert.equal(response.json['Code'], code, `error code; body: ${response.text.slice(0, 500)}`)
  assert.equal(response.status, status, `HTTP status of ${code}`)
  const detail = response.json['Detail']
  return typeof detail === 'string' ? detail : ''
}

/** Narrows a parsed JSON value to an object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
