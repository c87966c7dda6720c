/** V1 (`HMAC-SHA1`, `SignatureVersion=1.0`) string to sign and signature (protocol.md §2). */
import { createHmac } from 'node:crypto'
import { percentEncode } from './percent-encode.ts'

/** Sorted `k=v&…` of every parameter but `Signature`, keys and values percent-encoded. */
export function canonicalizeQueryV1(params: ReadonlyMap<string, string>): string {
  // Default sort compares UTF-16 code units, which is the order the SDKs use.
  const keys = [...params.keys()].filter((key) => key !== 'Signature').sort()
  return keys
    .map((key) => `${percentEncode(key)}=${percentEncode(params.get(key) ?? '')}`)
    .join('&')
}

/** `METHOD&%2F&encode(CanonicalizedQueryString)`; the method is upper-cased as pop-core does. */
export function stringToSignV1(method: string, params: ReadonlyMap<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizeQueryV1(params))}`
}

/** base64 HMAC-SHA1 keyed with `secret + '&'` (the trailing `&` is part of the scheme). */
export function computeSignatureV1(stringToSign: string, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64')
}
