/**
 * The client side of both schemes, for our CLI (remote mode), the console and tests. It signs
 * exactly as the official SDKs do (protocol.md §2, §3), so what it produces is a realistic request.
 */
import { randomBytes } from 'node:crypto'
import { computeSignatureV1, stringToSignV1 } from './canonicalize-v1.ts'
import { canonicalizeV3, computeSignatureV3, sha256Hex, V3_ALGORITHM } from './canonicalize-v3.ts'
import { percentEncode } from './percent-encode.ts'
import { formatTimestamp } from './timestamp.ts'

/** Parameters as a record or a map (decoded values). */
export type ParamsInput = Readonly<Record<string, string>> | ReadonlyMap<string, string>

/** A request to sign with V3. */
export interface V3RequestToSign {
  readonly method: string
  readonly path: string
  /** Decoded query parameters. */
  readonly query: ParamsInput
  /** Header names in any case; `host`, `content-type` and `x-acs-*` ones get signed. */
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Uint8Array | string
}

/** base64 V1 signature of `params` (any `Signature` among them is left out). */
export function signV1(params: ParamsInput, method: string, secret: string): string {
  return computeSignatureV1(stringToSignV1(method, toMap(params)), secret)
}

/** The V3 `Authorization` header value for `request`. */
export function signV3(request: V3RequestToSign, accessKeyId: string, secret: string): string {
  const headers = new Map<string, string>()
  for (const [name, value] of Object.entries(request.headers)) {
    headers.set(name.toLowerCase(), value)
  }
  const signedHeaders = [...headers.keys()]
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort()
  const { stringToSign } = canonicalizeV3({
    method: request.method,
    path: request.path,
    query: [...toMap(request.query)],
    signedHeaders,
    header: (name) => headers.get(name),
    payloadSha256: sha256Hex(request.body ?? ''),
  })
  const signature = computeSignatureV3(stringToSign, secret)
  return `${V3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`
}

/** Options of {@link buildSignedRequest}. */
export interface SignedRequestOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly endpoint: string
  /** `V1` GET puts everything in the query, `V1` POST in a form body (pop-core); `V3` as openapi-core. */
  readonly scheme: 'V1' | 'V3'
  /** Default `POST` for V3, `GET` for V1. */
  readonly method?: 'GET' | 'POST'
  readonly action: string
  /** Default `2020-01-16`. */
  readonly version?: string
  /** Business parameters, e.g. `{InstanceId: 'r-prod'}`. */
  readonly params?: Readonly<Record<string, string>>
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string
  /** Default: the current time. */
  readonly now?: Date
  /** Default: 32 random hex characters. */
  readonly nonce?: string
  /**
   * V3 only: where the business parameters go. `query` (default) as openapi-core sends them;
   * `body`, a signed form body of a POST, keeps them out of the request line, hence out of
   * proxies' access logs: the CLI sends passwords this way.
   */
  readonly paramsIn?: 'query' | 'body'
}

/** A signed request, ready for `fetch(url, {method, headers, body})` or Fastify `inject`. */
export interface SignedRequest {
  readonly method: 'GET' | 'POST'
  readonly url: string
  /** Raw query string without `?`. */
  readonly query: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/** Builds and signs a complete request. */
export function buildSignedRequest(options: SignedRequestOptions): SignedRequest {
  const base = new URL(options.endpoint)
  const version = options.version ?? '2020-01-16'
  const timestamp = formatTimestamp(options.now ?? new Date())
  const nonce = options.nonce ?? randomBytes(16).toString('hex')
  const business = options.params ?? {}
  const finish = (
    method: 'GET' | 'POST',
    query: string,
    headers: Record<string, string>,
    body = ''
  ) => ({
    method,
    url: new URL(query === '' ? '/' : `/?${query}`, base).toString(),
    query,
    headers,
    body: Buffer.from(body, 'utf8'),
  })

  if (options.scheme === 'V1') {
    const method = options.method ?? 'GET'
    const params: Record<string, string> = {
      ...business,
      Action: options.action,
      Version: version,
      Format: 'JSON',
      AccessKeyId: options.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: nonce,
      Timestamp: timestamp,
      ...(options.securityToken === undefined ? {} : { SecurityToken: options.securityToken }),
    }
    params['Signature'] = signV1(params, method, options.accessKeySecret)
    const encoded = encodeForm(params)
    const headers = { 'x-acs-action': options.action, 'x-acs-version': version }
    if (method === 'GET') return finish(method, encoded, headers)
    return finish(
      method,
      '',
      { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      encoded
    )
  }

  const method = options.method ?? 'POST'
  const inBody = options.paramsIn === 'body'
  if (inBody && method !== 'POST') throw new RangeError('parameters go in a body only with POST')
  const body = inBody ? encodeForm(business) : ''
  const headers: Record<string, string> = {
    host: base.host,
    'x-acs-action': options.action,
    'x-acs-version': version,
    'x-acs-date': timestamp,
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': sha256Hex(body),
    ...(inBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...(options.securityToken === undefined
      ? {}
      : {
          'x-acs-accesskey-id': options.accessKeyId,
          'x-acs-security-token': options.securityToken,
        }),
  }
  const toSign = { method, path: '/', query: inBody ? {} : business, headers, body }
  headers['authorization'] = signV3(toSign, options.accessKeyId, options.accessKeySecret)
  return inBody ? finish(method, '', headers, body) : finish(method, encodeForm(business), headers)
}

/** `k=v&…` with Alibaba percent-encoding (a valid form and query encoding). */
export function encodeForm(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&')
}

function toMap(params: ParamsInput): ReadonlyMap<string, string> {
  return params instanceof Map ? params : new Map(Object.entries(params))
}
