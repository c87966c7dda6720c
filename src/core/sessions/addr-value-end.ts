import { fieldAt, UNKNOWN } from './client-list-keys.ts'

const SP = 32
const EQ = 61
const COLON = 58
const ZERO = 48
const NINE = 57

/**
 * Where the value of `addr=` / `laddr=` starting at `from` ends (exclusive), on a
 * line that ends at `end`.
 *
 * Values never contain spaces except one: a unix-socket client prints the server's
 * `unixsocket` path + `:0`, and that path may contain spaces (docs/redis.md §4).
 * Redis always prints `laddr=` (6.2+) or `fd=` (`connGetInfo`) right after the
 * address, so the value ends at the first space that
 * - follows `:<port>` and precedes a known `key=` (every TCP address: the fast path), or
 * - follows `:0` and precedes a known `key=` (a unix socket path with spaces).
 * Requiring `:0` for the second case keeps a later `laddr=ip:port fd=` from being
 * swallowed when an unknown key follows `addr`. Without any such space the value
 * ends at the first space, like every other value.
 */
export function addrValueEnd(s: Uint8Array, from: number, end: number): number {
  const first = spaceAt(s, from, end)
  if (first === end) return end
  if (portBefore(s, from, first) >= 0 && knownKeyAt(s, first + 1, end)) return first
  let sp = spaceAt(s, first + 1, end)
  while (sp < end) {
    if (portBefore(s, from, sp) === 0 && knownKeyAt(s, sp + 1, end)) return sp
    sp = spaceAt(s, sp + 1, end)
  }
  return first
}

/** The first space in `s[from, end)`, or `end`. */
function spaceAt(s: Uint8Array, from: number, end: number): number {
  let i = from
  while (i < end && s[i] !== SP) i++
  return i
}

/** The port that `s[from, at)` ends with (`…:<digits>`), 0 for `:0`, -1 for none. */
function portBefore(s: Uint8Array, from: number, at: number): number {
  let i = at - 1
  let port = 0
  let scale = 1
  while (i >= from) {
    const c = s[i] ?? 0
    if (c < ZERO || c > NINE) break
    port += (c - ZERO) * scale
    scale *= 10
    i--
  }
  return i < at - 1 && i >= from && s[i] === COLON ? port : -1
}

/** True when `s` at `at` holds a key this parser knows, followed by `=`. */
function knownKeyAt(s: Uint8Array, at: number, end: number): boolean {
  let q = at
  while (q < end) {
    const c = s[q]
    if (c === EQ) return q > at && fieldAt(s, at, q - at) !== UNKNOWN
    if (c === SP) return false
    q++
  }
  return false
}
