/**
 * IP / CIDR matching of client addresses for the table's source filter, with the rules of the
 * server's `compileIpMatcher` (src/core/filter/session-filter.ts, parse-cidr.ts): IPv4 in
 * four-part decimal without leading zeros, IPv6 without zone, a prefix length 0–32 / 0–128,
 * host bits clear (`10.0.0.1/8` is refused, naming `10.0.0.0/8`); a bare address matches itself;
 * IPv4-mapped IPv6 clients (`::ffff:a.b.c.d`) count as IPv4, and so does a mapped network of
 * prefix ≥ 96 (`::ffff:10.0.0.0/104` is `10.0.0.0/8`); unix-socket clients never match. Small on
 * purpose: the bundle carries no IP library.
 */

interface Address {
  v6: boolean
  bytes: number[]
}

/** Thrown for text that is not an IP address or CIDR the server would take. */
export class InvalidIpError extends Error {
  /** For people, under the input: what to type instead. */
  readonly reason: string
  constructor(text: string, reason = 'an IP address or CIDR, e.g. 10.0.0.0/8') {
    super(`not an IP address or CIDR: ${text.slice(0, 64)} (${reason})`)
    this.name = 'InvalidIpError'
    this.reason = reason
  }
}

const DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/
const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/
/** `::ffff:a.b.c.d` is 80 zero bits, 16 one bits, then the IPv4 address. */
const IPV4_MAPPED_BITS = 96

/** `10.0.0.0/8`, `10.1.2.3`, `::1`, `fd00::/8` → matcher of `Client` values. */
export function compileIpMatcher(text: string): (client: string) => boolean {
  const slash = text.indexOf('/')
  const addressText = slash === -1 ? text : text.slice(0, slash)
  const address =
    DOTTED_QUAD.test(addressText) || (addressText.includes(':') && !addressText.includes('%'))
      ? parseIp(addressText)
      : undefined
  if (address === undefined) throw new InvalidIpError(text)
  let network = address
  let bits = address.bytes.length * 8
  if (slash !== -1) {
    const prefix = text.slice(slash + 1)
    if (!PREFIX_LENGTH.test(prefix) || Number(prefix) > bits) {
      throw new InvalidIpError(text, `the prefix length must be an integer 0–${bits}`)
    }
    bits = Number(prefix)
  }
  if (bits >= IPV4_MAPPED_BITS && isMapped(network)) {
    network = { v6: false, bytes: network.bytes.slice(12) }
    bits -= IPV4_MAPPED_BITS
  }
  const cleared = clearHostBits(network.bytes, bits)
  if (cleared.some((byte, index) => byte !== network.bytes[index])) {
    const suggestion = `${formatIp({ v6: network.v6, bytes: cleared })}/${bits}`
    throw new InvalidIpError(text, `host bits are set; did you mean ${suggestion}?`)
  }
  return (client) => {
    const parsed = parseIp(client.replace(/%.*$/, ''))
    if (parsed === undefined) return false
    const candidate = isMapped(parsed) ? { v6: false, bytes: parsed.bytes.slice(12) } : parsed
    return candidate.v6 === network.v6 && prefixMatches(candidate.bytes, network.bytes, bits)
  }
}

/** Parses a dotted-quad IPv4 or an IPv6 address; `undefined` when neither. */
export function parseIp(text: string): Address | undefined {
  if (text.includes(':')) {
    const bytes = parseV6(text)
    return bytes === undefined ? undefined : { v6: true, bytes }
  }
  const bytes = parseV4(text)
  return bytes === undefined ? undefined : { v6: false, bytes }
}

function parseV4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : 256))
  return bytes.every((byte) => byte <= 255) ? bytes : undefined
}

function parseV6(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groupsOf = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return []
    const words: number[] = []
    const pieces = part.split(':')
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseV4(piece)
        if (v4 === undefined) return undefined
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0))
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        words.push(parseInt(piece, 16))
      } else {
        return undefined
      }
    }
    return words
  }
  const head = groupsOf(halves[0])
  const tail = groupsOf(halves[1])
  if (head === undefined || tail === undefined) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const words = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail]
  return words.flatMap((word) => [word >> 8, word & 0xff])
}

function isMapped({ v6, bytes }: Address): boolean {
  return (
    v6 && bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  )
}

function clearHostBits(bytes: readonly number[], bits: number): number[] {
  return bytes.map((byte, index) => {
    const kept = Math.min(8, Math.max(0, bits - 8 * index))
    return byte & ((0xff << (8 - kept)) & 0xff)
  })
}

/** `10.0.0.0`, `fd00:0:0:0:0:0:0:0` (uncompressed: only shown as a suggestion). */
function formatIp({ v6, bytes }: Address): string {
  if (!v6) return bytes.join('.')
  const words: string[] = []
  for (let index = 0; index < bytes.length; index += 2) {
    words.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16))
  }
  return words.join(':')
}

function prefixMatches(candidate: number[], network: number[], bits: number): boolean {
  for (let index = 0; index * 8 < bits; index++) {
    const take = Math.min(8, bits - index * 8)
    const mask = (0xff << (8 - take)) & 0xff
    if (((candidate[index] ?? 0) & mask) !== ((network[index] ?? 0) & mask)) return false
  }
  return true
}
