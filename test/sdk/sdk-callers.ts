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
import type { Family } from './families.ts'
import type { Credentials } from './sdk-fixture.ts'

export { FAMILIES, type Family } from './families.ts'

/** Where the server listens. */
export interface Target {
  /** `http://127.0.0.1:<port>` or `https://…` (pop-core's endpoint; the scheme picks openapi's protocol). */
  readonly url: string
  /** `127.0.0.1:<port>` */
  readonly endpoint: string
  /** PEM of the CA that signed the server's certificate (HTTPS), handed to each client's `ca` option. */
  readonly ca?: string
}

/**
 * What to call; action and version default to GetRedisAllSession / 2020-01-16. The other
 * fields are the clients' own knobs, each passed where that client takes it; a knob a family
 * has no way to send throws, so a case never silently sends something else.
 */
export interface SdkCall {
  readonly action?: string
  readonly version?: string
  /**
   * Business parameters. pop-core and openapi-client v2 spread them over their own common
   * parameters (`Timestamp`, `SignatureNonce`; pop-core also `SignatureMethod`, `SignatureVersion`).
   */
  readonly query: Readonly<Record<string, string>>
  /**
   * HTTP method: pop-core `opts.method` (it sends a form body only for exactly `'POST'`, so any
   * other method is the GET shape and the family must be pop-core GET), openapi `Params.method`.
   */
  readonly method?: string
  /** openapi-*: `OpenApiRequest.body`, sent as a form body (`reqBodyType: 'formData'`). */
  readonly body?: Readonly<Record<string, string>>
  /**
   * openapi V3: `OpenApiRequest.headers`, which the clients spread over their own `x-acs-date`
   * and `x-acs-signature-nonce` before signing.
   */
  readonly headers?: Readonly<Record<string, string>>
  /** openapi-*: `Params.authType: 'Anonymous'`, i.e. no signature at all. */
  readonly anonymous?: boolean
  /** openapi V3: `Config.signatureAlgorithm` (e.g. `ACS3-HMAC-SM3`). */
  readonly signatureAlgorithm?: string
  /** pop-core: a query written into its endpoint (`<url>/?<endpointQuery>`), kept before its own. */
  readonly endpointQuery?: string
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
  /** `x-acs-retry-after` response header, where the client exposes headers (pop-core). */
  readonly retryAfterHeader: unknown
}

export type SdkOutcome = SdkSuccess | SdkFailure

/** The Params of the generated DAS SDK's getRedisAllSessionWithOptions (protocol.md §5). */
export function dasParams(
  action: string,
  version: string,
  call: Pick<SdkCall, 'method' | 'anonymous'> = {}
): Record<string, string> {
  return {
    action,
    version,
    protocol: 'HTTPS', // overridden by Config.protocol
    pathname: '/',
    method: call.method ?? 'POST',
    authType: call.anonymous === true ? 'Anonymous' : 'AK',
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
        refuse(family, call, ['body', 'headers', 'anonymous', 'signatureAlgorithm'])
        const method = call.method ?? (family === 'pop-core POST' ? 'POST' : 'GET')
        if ((method === 'POST') !== (family === 'pop-core POST')) {
          throw new Error(`${family} cannot send ${method}: pop-core's shape follows the method`)
        }
        const endpoint =
          call.endpointQuery === undefined ? target.url : `${target.url}/?${call.endpointQuery}`
        const client = new RPCClient({ endpoint, apiVersion: version, ...keys })
        const options = {
          ...(method === 'GET' ? {} : { method }),
          ...(target.ca === undefined ? {} : { ca: target.ca }),
        }
        return success(await client.request<unknown>(action, { ...call.query }, options))
      }
      case 'openapi-client V3':
      case 'openapi-client v2': {
        refuse(family, call, ['endpointQuery'])
        if (family === 'openapi-client v2') refuse(family, call, ['headers', 'signatureAlgorithm'])
        const algorithm = family === 'openapi-client v2' ? 'v2' : call.signatureAlgorithm
        const config = new Config({
          endpoint: target.endpoint,
          protocol: protocolOf(target),
          ...keys,
          ...(algorithm === undefined ? {} : { signatureAlgorithm: algorithm }),
          ...(target.ca === undefined ? {} : { ca: target.ca }),
        })
        const response: unknown = await new OpenApiClient.default(config).callApi(
          new Params(dasParams(action, version, call)),
          new OpenApiRequest(openApiRequest(call)),
          new TeaUtil.RuntimeOptions({})
        )
        return success(field(response, 'body'))
      }
      case 'openapi-core V3': {
        refuse(family, call, ['endpointQuery'])
        const config = new $OpenApiUtil.Config({
          endpoint: target.endpoint,
          protocol: protocolOf(target),
          ...keys,
          ...(call.signatureAlgorithm === undefined
            ? {}
            : { signatureAlgorithm: call.signatureAlgorithm }),
          ...(target.ca === undefined ? {} : { ca: target.ca }),
        })
        const response: unknown = await new OpenApiCore.default(config).callApi(
          new $OpenApiUtil.Params(dasParams(action, version, call)),
          new $OpenApiUtil.OpenApiRequest(openApiRequest(call)),
          new $dara.RuntimeOptions({})
        )
        return success(field(response, 'body'))
      }
    }
  } catch (error) {
    return failure(error)
  }
}

/** Throws when `call` sets a knob `family` has no way to send. */
function refuse(family: Family, call: SdkCall, knobs: ReadonlyArray<keyof SdkCall>): void {
  const given = knobs.filter((knob) => call[knob] !== undefined)
  if (given.length > 0) throw new Error(`${family} has no way to send ${given.join(', ')}`)
}

/** openapi's `Config.protocol`: the scheme of the target's URL. */
function protocolOf(target: Target): string {
  return new URL(target.url).protocol === 'https:' ? 'https' : 'http'
}

/** The fields of an `OpenApiRequest` (both clients take the same shape). */
function openApiRequest(call: SdkCall): Record<string, Record<string, string>> {
  return {
    query: { ...call.query },
    ...(call.body === undefined ? {} : { body: { ...call.body } }),
    ...(call.headers === undefined ? {} : { headers: { ...call.headers } }),
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
  const headers = field(response, 'headers')
  const statusCode = field(error, 'statusCode')
  return {
    ok: false,
    code: field(error, 'code'),
    status: statusCode ?? field(response, 'statusCode'),
    data,
    accessDeniedDetail: field(error, 'accessDeniedDetail') ?? data['AccessDeniedDetail'],
    errorClass: errorClassOf(error),
    requestId: field(error, 'requestId') ?? data['RequestId'],
    requestIdHeader: field(headers, 'x-acs-request-id'),
    retryAfter: field(error, 'retryAfter'),
    retryAfterHeader: field(headers, 'x-acs-retry-after'),
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
