import { ReplyParseError } from '../errors.ts'
import type { ClientSession } from './client-session.ts'
import { addrValueEnd } from './addr-value-end.ts'
import { clientOfAddr } from './client-of-addr.ts'
import { emptySession, setExtra, setNumber, setString } from './session-fields.ts'
import * as K from './client-list-keys.ts'

export { clientOfAddr } from './client-of-addr.ts'

const COMMAND = 'CLIENT LIST'
const SP = 32
const CR = 13
const EQ = 61
const MINUS = 45
const ZERO = 48
/** uint64 max (18446744073709551615) has 20 digits; a longer run is not a Redis counter. */
const MAX_DIGITS = 20

/**
 * Parses the text of a `CLIENT LIST` (or `CLIENT INFO`) reply into one
 * `ClientSession` per line (docs/redis.md §1–§5), for Redis 5.0 → 8.x, Valkey
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
 * @param text the reply text, as a string
 * @param node `host:port` of the node, named in errors
 * @throws ReplyParseError with the 1-based line number and an excerpt when a line
 *   does not start with `id=`, has a token without `=`, or a numeric field holds
 *   anything but an optionally signed decimal integer. No line is silently dropped.
 */
export function parseClientList(text: string, node: string): ClientSession[] {
  const sessions: ClientSession[] = []
  const length = text.length
  let start = text.startsWith('txt:') ? 4 : 0
  let lineNo = 0
  while (start < length) {
    lineNo++
    let next = text.indexOf('\n', start)
    if (next === -1) next = length
    const end = next > start && text.charCodeAt(next - 1) === CR ? next - 1 : next
    sessions.push(parseLine(text, start, end, node, lineNo))
    start = next + 1
  }
  return sessions
}

function parseLine(
  s: string,
  start: number,
  end: number,
  node: string,
  lineNo: number
): ClientSession {
  if (!s.startsWith('id=', start)) {
    throw parseError(s, start, end, node, lineNo, 'the line does not start with "id="')
  }
  const session = emptySession()
  // Hand-written on purpose: `npm run bench -- parse` measured this loop at 1.6–2.1 µs/line
  // (10k lines, 2.8 MB, min–median, Node 20, 2 shared vCPUs) vs 11–28 µs/line for
  // node-redis' split + regex + Number() transform; docs/redis.md §13 had 2.0–2.3 µs for
  // this design and ≈ 3.5 µs for slicing each key. At 50k sessions that is ≈ 100 ms vs
  // ≈ 600 ms of main thread. Keys are packed into ints below instead of compared as
  // strings: `startsWith` checks were 18 % of a CPU profile.
  let p = start
  while (p < end) {
    // Scan the key up to `=`, packing its char codes as client-list-keys.ts explains.
    let q = p
    let c = 0
    let a = 0
    let b = 0
    let d = 0
    let high = 0
    while (q < end) {
      c = s.charCodeAt(q)
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
    if (field >= K.FIRST_NUMERIC) {
      let i = q + 1
      const negative = i < end && s.charCodeAt(i) === MINUS
      if (negative) i++
      const digits = i
      let n = 0
      while (i < end) {
        const digit = s.charCodeAt(i) - ZERO
        if (digit < 0 || digit > 9) break
        n = n * 10 + digit
        i++
      }
      if (i === digits || i - digits > MAX_DIGITS || (i < end && s.charCodeAt(i) !== SP)) {
        const bad = s.slice(p, Math.min(tokenEnd(s, i, end), p + 60))
        throw parseError(s, start, end, node, lineNo, `"${bad}" is not an integer`)
      }
      // Beyond 15 digits n * 10 + d may round differently from a correctly rounded parse:
      // let Number() do those rare ones so that 2^53 + 1 reads as Number('9007199254740993').
      if (i - digits > 15) n = Number(s.slice(digits, i))
      // `0 - n`, not `-n`: "-0" must not become -0 (deepStrictEqual tells them apart).
      setNumber(session, field, negative ? 0 - n : n)
      p = i + 1
    } else {
      const v = q + 1
      const e =
        field === K.F_ADDR || field === K.F_LADDR ? addrValueEnd(s, v, end) : tokenEnd(s, v, end)
      if (field === K.UNKNOWN) setExtra(session, s.slice(p, q), s.slice(v, e))
      else setString(session, field, s.slice(v, e))
      p = e + 1
    }
  }
  session.client = clientOfAddr(session.addr)
  return session
}

function tokenEnd(s: string, from: number, end: number): number {
  const sp = s.indexOf(' ', from)
  return sp === -1 || sp > end ? end : sp
}

function parseError(
  s: string,
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
    s.slice(start, Math.min(end, start + 200))
  )
}
