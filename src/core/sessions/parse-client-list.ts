import { ReplyParseError } from '../errors.ts'
import type { ClientSession } from './client-session.ts'
import { addrValueEnd } from './addr-value-end.ts'
import {
  ClientListTable,
  ROW_EXTRA,
  ROW_NEEDS_ESCAPE,
  ROW_NON_ASCII,
  LINE_SLOT,
  ROW_STRIDE,
  readInteger,
} from './client-list-table.ts'
import * as K from './client-list-keys.ts'

export { clientOfAddr } from './client-of-addr.ts'

const COMMAND = 'CLIENT LIST'
const SP = 32
const LF = 10
const CR = 13
const EQ = 61
const MINUS = 45
const ZERO = 48
const QUOTE = 34
const BACKSLASH = 92
/** uint64 max (18446744073709551615) has 20 digits; a longer run is not a Redis counter. */
const MAX_DIGITS = 20
/** Rows first allocated per byte of reply: lines are ≥ 130 bytes from Redis 5.0 on. */
const BYTES_PER_ROW_GUESS = 128

/**
 * Parses a `CLIENT LIST` (or `CLIENT INFO`) reply into a table of one row per line (docs/redis.md §1–§5), for Redis 5.0 → 8.x, Valkey
 * 8.0/8.1 and proxies that print fewer fields.
 *
 * - A RESP3 verbatim prefix `txt:` is stripped; lines end in `\n` (`\r\n`
 *   tolerated); the empty text after the final `\n` is ignored, and so is one
 *   trailing space on a line (an empty token elsewhere is an error).
 * - Tokens are split at their **first** `=` (`name=a=b` → name `a=b`); values may be
 *   empty. Unknown keys are kept as strings in `extra`; known fields the server did
 *   not print stay `undefined`, except the DAS fields, which default to `0` / `""`.
 * - `addr`/`laddr` of a unix socket may contain spaces (see `addrValueEnd`).
 *
 * @param reply the reply as bytes (what the connection hands over) or as text
 * @param node `host:port` of the node, named in errors
 * @throws ReplyParseError with the 1-based line number and an excerpt when a line
 *   does not start with `id=`, has a token without `=`, or a numeric field holds
 *   anything but an optionally signed decimal integer. No line is silently dropped.
 *
 * Hand-written on purpose, over bytes: one pass that records where each value lies and
 * copies nothing. `npm run bench -- parse` measures it against node-redis' split + regex +
 * Number() transform (docs/performance.md has the figures); keys are packed into ints
 * instead of compared as strings (`startsWith` checks were 18 % of a CPU profile).
 */
export function parseClientListTable(reply: Uint8Array | string, node: string): ClientListTable {
  const bytes =
    typeof reply === 'string'
      ? Buffer.from(reply, 'utf8')
      : Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength)
  const length = bytes.length
  let capacity = Math.max(16, Math.ceil(length / BYTES_PER_ROW_GUESS))
  let offsets = new Int32Array(capacity * ROW_STRIDE)
  let ids = new Float64Array(capacity)
  let flags = new Uint8Array(capacity)
  const extras = new Map<number, number[]>()
  const hasTxtPrefix =
    bytes[0] === 0x74 && bytes[1] === 0x78 && bytes[2] === 0x74 && bytes[3] === 0x3a
  let start = hasTxtPrefix ? 4 : 0
  let count = 0
  const target: RowTarget = { bytes, offsets, base: 0, extras, count }
  while (start < length) {
    let next = bytes.indexOf(LF, start)
    if (next === -1) next = length
    const end = next > start && bytes[next - 1] === CR ? next - 1 : next
    if (count === capacity) {
      capacity *= 2
      offsets = grow(offsets, capacity * ROW_STRIDE)
      ids = grow(ids, capacity)
      flags = grow(flags, capacity)
      target.offsets = offsets
    }
    target.base = count * ROW_STRIDE
    target.count = count
    flags[count] = parseRow(target, start, end, node, count + 1)
    const idAt = target.base + K.F_ID * 2
    ids[count] = readInteger(bytes, offsets[idAt] ?? 0, offsets[idAt + 1] ?? 0)
    count++
    start = next + 1
  }
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  return new ClientListTable(node, { bytes, offsets, ids, flags, extras, count }, order)
}

/** The sessions of a reply as objects: `parseClientListTable(…).sessions()`. */
export function parseClientList(reply: Uint8Array | string, node: string): ClientSession[] {
  return parseClientListTable(reply, node).sessions()
}

interface RowTarget {
  bytes: Buffer
  offsets: Int32Array
  base: number
  extras: Map<number, number[]>
  /** Physical row index (for `extras`). */
  count: number
}

/** Records one line's values; returns its `ROW_*` flags. The line number is `count + 1`. */
function parseRow(t: RowTarget, start: number, end: number, node: string, lineNo: number): number {
  const s = t.bytes
  const offsets = t.offsets
  const base = t.base
  if (s[start] !== 0x69 || s[start + 1] !== 0x64 || s[start + 2] !== EQ || start + 3 > end) {
    throw parseError(s, start, end, node, lineNo, 'the line does not start with "id="')
  }
  offsets[base + LINE_SLOT] = start
  offsets[base + LINE_SLOT + 1] = end
  let rowFlags = 0
  let p = start
  while (p < end) {
    // Scan the key up to `=`, packing its bytes as client-list-keys.ts explains.
    let q = p
    let c = 0
    let a = 0
    let b = 0
    let d = 0
    let high = 0
    while (q < end) {
      c = s[q] as number
      if (c === EQ || c === SP) break
      const i = q - p
      if (i < 4) a = (a << 8) | c
      else if (i < 8) b = (b << 8) | c
      else d = (d << 8) | c
      high |= c
      q++
    }
    if (q === p || q === end || c === SP) {
      throw parseError(
        s,
        start,
        end,
        node,
        lineNo,
        `a token without "=" at column ${p - start + 1}`
      )
    }
    const field = high > 127 ? K.UNKNOWN : K.fieldOf(q - p, a, b, d)
    const v = q + 1
    if (field >= K.FIRST_NUMERIC) {
      let i = s[v] === MINUS ? v + 1 : v
      const digits = i
      while (i < end) {
        const digit = (s[i] as number) - ZERO
        if (digit < 0 || digit > 9) break
        i++
      }
      if (i === digits || i - digits > MAX_DIGITS || (i < end && s[i] !== SP)) {
        const bad = s.toString('utf8', p, Math.min(tokenEnd(s, i, end), p + 60))
        throw parseError(s, start, end, node, lineNo, `"${bad}" is not an integer`)
      }
      offsets[base + field * 2] = v
      offsets[base + field * 2 + 1] = i
      p = i + 1
    } else {
      let e = v
      if (field === K.F_ADDR || field === K.F_LADDR) {
        e = addrValueEnd(s, v, end)
        rowFlags |= valueFlags(s, v, e)
      } else {
        // Up to the next space, noting what JSON will need on the way: one table load per byte.
        let kind = 0
        while (e < end && (kind = BYTE_KIND[s[e] as number] as number) !== KIND_SPACE) {
          rowFlags |= kind
          e++
        }
      }
      if (high > 127) rowFlags |= ROW_NON_ASCII
      if (field === K.UNKNOWN) {
        rowFlags |= ROW_EXTRA
        let unknown = t.extras.get(t.count)
        if (unknown === undefined) t.extras.set(t.count, (unknown = []))
        unknown.push(p, q, v, e)
      } else {
        offsets[base + field * 2] = v
        offsets[base + field * 2 + 1] = e
      }
      p = e + 1
    }
  }
  return rowFlags
}

/** `ROW_NON_ASCII` / `ROW_NEEDS_ESCAPE` for the bytes `s[from, end)`. */
function valueFlags(s: Uint8Array, from: number, end: number): number {
  let flags = 0
  for (let i = from; i < end; i++) flags |= (BYTE_KIND[s[i] as number] as number) & ~KIND_SPACE
  return flags
}

/** A space ends a value; never one of the row flags. */
const KIND_SPACE = 0x80
/** Per byte: `KIND_SPACE`, the `ROW_*` flag a value holding it gives its row, or 0. */
const BYTE_KIND = new Uint8Array(256).map((_, c) =>
  c === SP
    ? KIND_SPACE
    : c > 127
      ? ROW_NON_ASCII
      : c < SP || c === QUOTE || c === BACKSLASH
        ? ROW_NEEDS_ESCAPE
        : 0
)

function tokenEnd(s: Uint8Array, from: number, end: number): number {
  let i = from
  while (i < end && s[i] !== SP) i++
  return i
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length)
  bigger.set(array)
  return bigger
}

function parseError(
  s: Buffer,
  start: number,
  end: number,
  node: string,
  lineNo: number,
  reason: string
): ReplyParseError {
  const message = `${COMMAND} reply of ${node}, line ${lineNo}: ${reason}`
  return new ReplyParseError(
    message,
    node,
    COMMAND,
    lineNo,
    s.toString('utf8', start, Math.min(end, start + 200))
  )
}
