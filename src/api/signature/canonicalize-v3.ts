/** V3 (`ACS3-HMAC-SHA256`) canonical request, string to sign and signature (protocol.md §3). */
import { createHash, createHmac } from 'node:crypto'
import { percentEncode, percentEncodePath } from './percent-encode.ts'

/** The only V3 algorithm accepted (the SDKs can also sign SM3 and RSA; nobody needs them here). */
export const V3_ALGORITHM = 'ACS3-HMAC-SHA256'

/** hex SHA-256 of the empty body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** What the V3 canonical request is built from; every value is decoded. */
export interface CanonicalInputV3 {
  readonly method: string
  /** Decoded path, e.g. `/`. */
  readonly path: string
  /** Decoded query parameters (the body is covered by `payloadSha256`, not listed here). */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** Names to sign, in the order of the Authorization header's SignedHeaders. */
  readonly signedHeaders: readonly string[]
  /** Value of a header by lower-case name. */
  readonly header: (name: string) => string | readonly string[] | undefined
  /** hex SHA-256 of the body (= `x-acs-content-sha256`). */
  readonly payloadSha256: string
}

/** The canonical request and the string to sign derived from it. */
export interface CanonicalV3 {
  readonly canonicalRequest: string
  readonly stringToSign: string
}

/** hex SHA-256 of `data`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Sorted `key=value&…`, both percent-encoded. The Node SDK leaves keys unencoded while the doc
 * and other SDKs encode them; the two agree on every `[A-Za-z0-9._~-]` key, i.e. every real one.
 */
export function canonicalizeQueryV3(query: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...query].sort(([ka, va], [kb, vb]) => compare(ka, kb) || compare(va, vb))
  return sorted.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&')
}

/** `name:value\n` per signed header; a repeated header's values are trimmed, sorted, joined. */
export function canonicalizeHeadersV3(
  signedHeaders: readonly string[],
  header: CanonicalInputV3['header']
): string {
  return signedHeaders
    .map((name) => {
      const raw = header(name)
      const value =
        typeof raw === 'string'
          ? raw.trim()
          : [...(raw ?? [])]
              .map((item) => item.trim())
              .sort(compare)
              .join(',')
      return `${name}:${value}\n`
    })
    .join('')
}

/** Builds CanonicalRequest and StringToSign. */
export function canonicalizeV3(input: CanonicalInputV3): CanonicalV3 {
  const canonicalRequest = [
    input.method.toUpperCase(),
    percentEncodePath(input.path),
    canonicalizeQueryV3(input.query),
    // CanonicalHeaders ends in '\n', so an empty line separates it from SignedHeaders.
    canonicalizeHeadersV3(input.signedHeaders, input.header),
    input.signedHeaders.join(';'),
    input.payloadSha256,
  ].join('\n')
  return { canonicalRequest, stringToSign: `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}` }
}

/** hex HMAC-SHA256 keyed with the bare secret (no `&`, unlike V1). */
export function computeSignatureV3(stringToSign: string, secret: string): string {
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
