/**
 * One way to call the server per official client, configured as protocol.md §5 says, and one
 * shape for what came back: the parsed body on success, or the fields each client puts on the
 * error it throws (protocol.md §8 "How clients detect errors").
 */
import RPCClient from '@alicloud/pop-core'
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client'
import * as TeaUtil from '@alicloud/tea-util'
import OpenApiCore, {
  $OpenApiUtil,
  ClientError,
  ServerError,
  ThrottlingError,
} from '@alicloud/openapi-core'
// openapi-core's callApi takes a $dara.RuntimeOptions; the generated SDKs import it the same way.
import * as $dara from '@darabonba/typescript'
import type { Credentials } from './sdk-fixture.ts'

/** The clients (and client modes) under test. */
export type Family =
  'pop-core GET' | 'pop-core POST' | 'openapi-client V3' | 'openapi-client v2' | 'openapi-core V3'

/** Where the server listens. */
export interface Target {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `127.0.0.1:<port>` */
  readonly endpoint: string
}

/** What to call; action and version default to GetRedisAllSession / 2020-01-16. */
export interface SdkCall {
  readonly action?: string
  readonly version?: string
  readonly query: Readonly<Record<string, string>>
}

/** A call that the client returned from. */
export interface SdkSuccess {
  readonly ok: true
  readonly body: Readonly<Record<string, unknown>>
}

/** A call that the client threw on, with what the client exposes. */
export interface SdkFailure {
  readonly ok: false
  /** `err.code` */
  readonly code: unknown
  /** HTTP status: `err.statusCode` (openapi-*), `err.entry.response.statusCode` (pop-core). */
  readonly status: unknown
  /** The parsed error body (`err.data`). */
  readonly data: Readonly<Record<string, unknown>>
  /** `err.accessDeniedDetail` (openapi-*), `err.data.AccessDeniedDetail` (pop-core). */
  readonly accessDeniedDetail: unknown
  /** `ClientError` / `ServerError` / `ThrottlingError` (openapi-core), else the class name. */
  readonly errorClass: string
  /** `err.requestId` (openapi-core) or `err.data.RequestId`. */
  readonly requestId: unknown
  /** `x-acs-request-id` response header, where the client exposes headers (pop-core). */
  readonly requestIdHeader: unknown
  /** `ThrottlingError.retryAfter` (openapi-core). */
  readonly retryAfter: unknown
}

export type SdkOutcome = SdkSuccess | SdkFailure

/** The Params of the generated DAS SDK's getRedisAllSessionWithOptions (protocol.md §5). */
export function dasParams(action: string, version: string): Record<string, string> {
  return {
    action,
    version,
    protocol: 'HTTPS', // overridden by Config.protocol 'http'
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  }
}

/** Calls the server with `family`; never throws for an API error (it becomes an SdkFailure). */
export async function callSdk(
  family: Family,
  target: Target,
  credentials: Credentials,
  call: SdkCall
): Promise<SdkOutcome> {
  const action = call.action ?? 'GetRedisAllSession'
  const version = call.version ?? '2020-01-16'
  const token =
    credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }
  const keys = {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...token,
  }
  try {
    switch (family) {
      case 'pop-core GET':
      case 'pop-core POST': {
        const client = new RPCClient({ endpoint: target.url, apiVersion: version, ...keys })
        const options = family === 'pop-core POST' ? { method: 'POST' } : {}
        return success(await client.request<unknown>(action, { ...call.query }, options))
      }
      case 'openapi-client V3':
      case 'openapi-client v2': {
        const config = new Config({
          endpoint: target.endpoint,
          protocol: 'http',
          ...keys,
          ...(family === 'openapi-client v2' ? { signatureAlgorithm: 'v2' } : {}),
        })
        const response: unknown = await new OpenApiClient.default(config).callApi(
          new Params(dasParams(action, version)),
          new OpenApiRequest({ query: { ...call.query } }),
          new TeaUtil.RuntimeOptions({})
        )
        return success(field(response, 'body'))
      }
      case 'openapi-core V3': {
        const config = new $OpenApiUtil.Config({
          endpoint: target.endpoint,
          protocol: 'http',
          ...keys,
        })
        const response: unknown = await new OpenApiCore.default(config).callApi(
          new $OpenApiUtil.Params(dasParams(action, version)),
          new $OpenApiUtil.OpenApiRequest({ query: { ...call.query } }),
          new $dara.RuntimeOptions({})
        )
        return success(field(response, 'body'))
      }
    }
  } catch (error) {
    return failure(error)
  }
}

function success(body: unknown): SdkSuccess {
  if (!isRecord(body)) throw new Error(`the client returned a non-object body: ${String(body)}`)
  return { ok: true, body }
}

function failure(error: unknown): SdkFailure {
  if (!(error instanceof Error)) throw error
  const data = field(error, 'data')
  if (!isRecord(data)) throw error // not an API error (a network failure, a bug): let it fail the test
  const response = field(field(error, 'entry'), 'response')
  const statusCode = field(error, 'statusCode')
  return {
    ok: false,
    code: field(error, 'code'),
    status: statusCode ?? field(response, 'statusCode'),
    data,
    accessDeniedDetail: field(error, 'accessDeniedDetail') ?? data['AccessDeniedDetail'],
    errorClass: errorClassOf(error),
    requestId: field(error, 'requestId') ?? data['RequestId'],
    requestIdHeader: field(field(response, 'headers'), 'x-acs-request-id'),
    retryAfter: field(error, 'retryAfter'),
  }
}

function errorClassOf(error: Error): string {
  // Most specific first: the three openapi-core classes share AlibabaCloudError.
  if (error instanceof ThrottlingError) return 'ThrottlingError'
  if (error instanceof ClientError) return 'ClientError'
  if (error instanceof ServerError) return 'ServerError'
  return error.constructor.name
}

/** `value[key]` when value is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  const found: unknown = Reflect.get(value, key)
  return found
}

/** A plain JSON object (pop-core parses into null-prototype objects, so no prototype check). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
