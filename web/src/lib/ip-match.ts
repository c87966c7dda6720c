/**
 * IP / CIDR matching of client addresses for the table's source filter, with the semantics of
 * the server's `compileIpMatcher` (src/core/filter/session-filter.ts): a bare address matches
 * itself, a CIDR its network, IPv4-mapped IPv6 clients (`::ffff:a.b.c.d`) count as IPv4 and
 * unix-socket clients never match. Small on purpose: the bundle carries no IP library.
 */

interface Address {
  v6: boolean
  bytes: number[]
}

/** Thrown for text that is neither an IP address nor a CIDR. */
export class InvalidIpError extends Error {
  constructor(text: string) {
    super(`not an IP address or CIDR: ${text.slice(0, 64)}`)
    this.name = 'InvalidIpError'
  }
}

/** `10.0.0.0/8`, `10.1.2.3`, `::1`, `fd00::/8` → matcher of `Client` values. */
export function compileIpMatcher(text: string): (client: string) => boolean {
  const slash = text.indexOf('/')
  const address = parseIp(slash === -1 ? text : text.slice(0, slash))
  if (address === undefined) throw new InvalidIpError(text)
  let network = address
  let bits = address.bytes.length * 8
  if (slash === -1) {
    network = unwrapMapped(address)
    bits = network.bytes.length * 8
  } else {
    const prefix = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) throw new InvalidIpError(text)
    bits = Number(prefix)
  }
  return (client) => {
    const parsed = parseIp(client)
    if (parsed === undefined) return false
    const candidate = unwrapMapped(parsed)
    return candidate.v6 === network.v6 && prefixMatches(candidate.bytes, network.bytes, bits)
  }
}

/** Parses a dotted-quad IPv4 or an IPv6 address (zone ignored); `undefined` when neither. */
export function parseIp(text: string): Address | undefined {
  if (text.includes(':')) {
    const bytes = parseV6(text.replace(/%.*$/, ''))
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

function unwrapMapped(address: Address): Address {
  const { bytes } = address
  const mapped =
    address.v6 &&
    bytes.slice(0, 10).every((byte) => byte === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  return mapped ? { v6: false, bytes: bytes.slice(12) } : address
}

function prefixMatches(candidate: number[], network: number[], bits: number): boolean {
  for (let index = 0; index * 8 < bits; index++) {
    const take = Math.min(8, bits - index * 8)
    const mask = (0xff << (8 - take)) & 0xff
    if (((candidate[index] ?? 0) & mask) !== ((network[index] ?? 0) & mask)) return false
  }
  return true
}
