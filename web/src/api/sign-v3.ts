/**
 * ACS3-HMAC-SHA256 (V3) signing in the browser with WebCrypto — the algorithm of the server's
 * `src/api/signature/canonicalize-v3.ts` and `sign.ts` (protocol.md §3), ported so the console
 * signs every call exactly as the official SDKs do. `crypto.subtle` needs a secure context:
 * https, or http on 127.0.0.1 / localhost.
 */

/** The one V3 algorithm the server accepts. */
export const V3_ALGORITHM = 'ACS3-HMAC-SHA256'

/** A request to sign; every value decoded. */
export interface V3Request {
  readonly method: string
  /** Decoded path, e.g. `/`. */
  readonly path: string
  /** Decoded query parameters (a form body is covered by the payload hash instead). */
  readonly query: Readonly<Record<string, string>>
  /** Header names in any case; `host`, `content-type` and `x-acs-*` ones are signed. */
  readonly headers: Readonly<Record<string, string>>
  /** Exact body bytes as UTF-8 text ('' for none). */
  readonly body: string
}

/** What signing produced; `canonicalRequest` and `stringToSign` help when the server disagrees. */
export interface V3Signature {
  readonly authorization: string
  readonly canonicalRequest: string
  readonly stringToSign: string
}

const encoder = new TextEncoder()

/**
 * Alibaba percent-encoding (protocol.md §2): RFC 3986, only `A-Z a-z 0-9 - _ . ~` literal,
 * upper-case hex, space as `%20`. `encodeURIComponent` leaves `! ' ( ) *` literal, so those are
 * encoded on top.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase()
  )
}

/** hex SHA-256 of UTF-8 `text`. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

/** hex HMAC-SHA256 of `message` keyed with the bare secret (no `&`, unlike V1). */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign']
  )
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
}

/** Sorted `key=value&…` (keys by code unit, equal keys by value), both percent-encoded. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .sort(([ka, va], [kb, vb]) => compare(ka, kb) || compare(va, vb))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&')
}

/** Signs `request`; the caller sends `authorization` as the `Authorization` header. */
export async function signV3(
  request: V3Request,
  accessKeyId: string,
  secret: string
): Promise<V3Signature> {
  const headers = new Map<string, string>()
  for (const [name, value] of Object.entries(request.headers)) {
    headers.set(name.toLowerCase(), value.trim())
  }
  const signedHeaders = [...headers.keys()]
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort(compare)
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path.split('/').map(percentEncode).join('/'),
    canonicalQuery(request.query),
    // Each header line ends in '\n', so an empty line separates them from SignedHeaders.
    signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join(''),
    signedHeaders.join(';'),
    await sha256Hex(request.body),
  ].join('\n')
  const stringToSign = `${V3_ALGORITHM}\n${await sha256Hex(canonicalRequest)}`
  const signature = await hmacSha256Hex(secret, stringToSign)
  const authorization =
    `${V3_ALGORITHM} Credential=${accessKeyId},` +
    `SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`
  return { authorization, canonicalRequest, stringToSign }
}

/** `x-acs-date` format: ISO 8601 UTC without milliseconds. */
export function formatAcsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** 32 random lower-case hex characters (a signature nonce). */
export function randomNonce(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return toHex(bytes.buffer)
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
