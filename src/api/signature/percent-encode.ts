/**
 * Alibaba's percent-encoding (protocol.md §2): RFC 3986 with only `A-Z a-z 0-9 - _ . ~` literal,
 * upper-case hex, space as `%20` (never `+`). Both signature schemes use it.
 */

/** Encodes `value` (UTF-8); throws `URIError` on a lone surrogate, which has no UTF-8 form. */
export function percentEncode(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * literal; Alibaba encodes them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase()
  )
}

/** Encodes a path segment by segment, keeping the `/` separators (V3 CanonicalURI). */
export function percentEncodePath(path: string): string {
  return path.split('/').map(percentEncode).join('/')
}
