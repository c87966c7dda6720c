/**
 * Hand-built requests for the error cases no SDK can send: V1 and V3 signing with any field
 * changed, left out or left unsigned (signing from src/api/signature/sign.ts), sent with fetch;
 * and the checks every error response must pass (protocol.md §8, docs/errors.md).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ERROR_CATALOG, isErrorCode } from '../../src/api/errors/catalog.ts'
import { sha256Hex } from '../../src/api/signature/canonicalize-v3.ts'
import { encodeForm, signV1, signV3 } from '../../src/api/signature/sign.ts'
import { formatTimestamp } from '../../src/api/signature/timestamp.ts'
import { isRecord } from './sdk-callers.ts'
import type { Credentials } from './sdk-fixture.ts'

/** A request as fetch sends it. */
export interface RawRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Buffer
}

/** `null` removes a default; a string replaces or adds. */
export type Overrides = Readonly<Record<string, string | null>>

function apply(defaults: Record<string, string>, overrides: Overrides): Record<string, string> {
  const result = { ...defaults }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete result[key]
    else result[key] = value
  }
  return result
}

/** Options of {@link v1Request}. */
export interface V1Options {
  readonly method?: 'GET' | 'POST'
  /** Parameters changed after signing (the signature then no longer matches). */
  readonly tamper?: Overrides
  /** Raw text appended to the query after signing (decoding errors). */
  readonly rawQuerySuffix?: string
  readonly contentType?: string
  readonly now?: Date
}

/** A V1 request (pop-core style: GET query or POST form) with `overrides` on the parameters. */
export function v1Request(
  url: string,
  credentials: Credentials,
  overrides: Overrides,
  options: V1Options = {}
): RawRequest {
  const method = options.method ?? 'GET'
  const params = apply(
    {
      Action: 'GetRedisAllSession',
      Version: '2020-01-16',
      Format: 'JSON',
      AccessKeyId: credentials.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomBytes(16).toString('hex'),
      Timestamp: formatTimestamp(options.now ?? new Date()),
      ...(credentials.securityToken === undefined
        ? {}
        : { SecurityToken: credentials.securityToken }),
    },
    overrides
  )
  if (!('Signature' in overrides)) {
    params['Signature'] = signV1(params, method, credentials.accessKeySecret)
  }
  const encoded = encodeForm(apply(params, options.tamper ?? {})) + (options.rawQuerySuffix ?? '')
  if (method === 'GET') return { method, url: `${url}/?${encoded}`, headers: {} }
  const contentType = options.contentType ?? 'application/x-www-form-urlencoded'
  return { method, url: `${url}/`, headers: { 'content-type': contentType }, body: encoded }
}

/** Options of {@link v3Request}. */
export interface V3Options {
  /** Business query parameters (default `InstanceId`). */
  readonly query?: Readonly<Record<string, string>>
  /** Header changes before signing. */
  readonly headers?: Overrides
  /** Headers added after signing: present but not in SignedHeaders. */
  readonly unsigned?: Readonly<Record<string, string>>
  /** Query sent instead of the signed one. */
  readonly sentQuery?: Readonly<Record<string, string>>
  readonly body?: string
  /** Replaces the computed Authorization header. */
  readonly authorization?: (computed: string) => string
  readonly now?: Date
}

/** A V3 request (openapi-core style) signed with `credentials`. */
export function v3Request(
  url: string,
  credentials: Credentials,
  instanceId: string,
  options: V3Options = {}
): RawRequest {
  const query = options.query ?? { InstanceId: instanceId }
  const headers = apply(
    {
      host: new URL(url).host,
      'x-acs-action': 'GetRedisAllSession',
      'x-acs-version': '2020-01-16',
      'x-acs-date': formatTimestamp(options.now ?? new Date()),
      'x-acs-signature-nonce': randomBytes(16).toString('hex'),
      'x-acs-content-sha256': sha256Hex(''),
      'x-acs-credentials-provider': 'static_ak',
      ...(credentials.securityToken === undefined
        ? {}
        : {
            'x-acs-accesskey-id': credentials.accessKeyId,
            'x-acs-security-token': credentials.securityToken,
          }),
    },
    options.headers ?? {}
  )
  const computed = signV3(
    { method: 'POST', path: '/', query, headers, ...(options.body ? { body: options.body } : {}) },
    credentials.accessKeyId,
    credentials.accessKeySecret
  )
  const authorization = options.authorization?.(computed) ?? computed
  const sent = encodeForm({ ...(options.sentQuery ?? query) })
  return {
    method: 'POST',
    url: `${url}/${sent === '' ? '' : `?${sent}`}`,
    headers: { ...headers, ...options.unsigned, authorization },
    ...(options.body === undefined ? {} : { body: options.body }),
  }
}

/** Sends `request` with fetch. */
export function send(request: RawRequest): Promise<Response> {
  return fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
}

/** The AccessKey pair of temporary credentials, without their token. */
export function withoutToken(credentials: Credentials): Credentials {
  return { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret }
}

/** Sends `request` twice: the first must pass authentication, the second is the replay. */
export async function replay(request: RawRequest): Promise<Response> {
  const first = await send(request)
  assert.equal(first.status, 200, `the original request succeeds: ${await first.text()}`)
  return send(request)
}

/**
 * Asserts an error response: the status, JSON with `Code`, a catalogue `Message` (or one built
 * from it), a 36-character upper-case `RequestId` equal to the `x-acs-request-id` header, never
 * HTTP 200. Returns the body for further checks.
 */
export async function assertErrorResponse(
  response: Response,
  code: string,
  status: number
): Promise<Record<string, unknown>> {
  const text = await response.text()
  assert.notEqual(response.status, 200, `an error with HTTP 200: ${text}`)
  assert.equal(response.headers.get('content-type'), 'application/json;charset=utf-8', text)
  const body: unknown = JSON.parse(text)
  assert.ok(isRecord(body), text)
  assert.equal(body['Code'], code, text)
  assert.equal(response.status, status, text)
  const requestId = body['RequestId']
  assert.match(String(requestId), /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/)
  assert.equal(requestId, response.headers.get('x-acs-request-id'))
  const template = ERROR_CATALOG[catalogCodeOf(code)].message
  // Missing{Name} names the parameter; other {Name}s and SignatureDoesNotMatch extend the start.
  const expected = isErrorCode(code)
    ? template.split('{Name}')[0]
    : template.replace('{Name}', code.slice(7))
  assert.ok(String(body['Message']).startsWith(expected ?? ''), `Message of ${code}: ${text}`)
  return body
}

/** The catalogue code of a wire code: `Missing{Name}` comes from `MissingParameter`. */
export function catalogCodeOf(code: string): keyof typeof ERROR_CATALOG {
  if (isErrorCode(code)) return code
  if (/^Missing[A-Z]/.test(code)) return 'MissingParameter'
  throw new Error(`${code} is not a catalogue code`)
}
