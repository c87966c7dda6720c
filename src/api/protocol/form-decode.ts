/**
 * Strict `application/x-www-form-urlencoded` decoding (protocol.md §4): `+` is a space, `%XX` a
 * byte, and the bytes must be UTF-8. Unlike `URLSearchParams`, which silently keeps a malformed
 * `%` and turns bad UTF-8 into U+FFFD, it rejects both: a signature must be checked against the
 * values the client meant, not against a guess.
 */
import { ApiError } from '../errors/api-error.ts'

const PLUS = 0x2b
const PERCENT = 0x25
const AMPERSAND = 0x26
const EQUALS = 0x3d
const SPACE = 0x20

// fatal: invalid UTF-8 throws; ignoreBOM: a leading U+FEFF is kept as a character, not dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decodes form text into `[key, value]` pairs in order; empty pairs (`a=1&&b=2`) are skipped. */
export function decodeForm(bytes: Uint8Array): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(AMPERSAND, start)
    if (end === -1) end = bytes.length
    if (end > start) pairs.push(decodePair(bytes.subarray(start, end)))
    start = end + 1
  }
  return pairs
}

// With the `u` flag a surrogate pair is one code point, so only lone surrogates are `Cs`.
const LONE_SURROGATE = /\p{Cs}/u

/** Decodes a query string; raw non-ASCII (not sent by Node's HTTP parser) is taken as UTF-8. */
export function decodeQuery(query: string): Array<[string, string]> {
  if (LONE_SURROGATE.test(query)) throw formatError('the query string is not well-formed Unicode')
  return decodeForm(Buffer.from(query, 'utf8'))
}

function decodePair(bytes: Uint8Array): [string, string] {
  const eq = bytes.indexOf(EQUALS)
  const key = decodeComponent(eq === -1 ? bytes : bytes.subarray(0, eq))
  const value = eq === -1 ? '' : decodeComponent(bytes.subarray(eq + 1))
  if (key === '') throw formatError('a parameter has an empty name')
  return [key, value]
}

function decodeComponent(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0
    if (byte === PLUS) {
      out[n++] = SPACE
    } else if (byte === PERCENT) {
      const high = hexValue(bytes[i + 1])
      const low = hexValue(bytes[i + 2])
      if (high === -1 || low === -1) throw formatError('malformed percent escape')
      out[n++] = high * 16 + low
      i += 2
    } else {
      out[n++] = byte
    }
  }
  try {
    return utf8.decode(out.subarray(0, n))
  } catch (cause) {
    throw formatError('a parameter is not valid UTF-8', cause)
  }
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  const lower = byte | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

function formatError(detail: string, cause?: unknown): ApiError {
  return new ApiError('InvalidParameter.Format', { detail, cause })
}
