/**
 * Alias CIDRs: parsed once with ipaddr.js into family + bytes + prefix length, and printed in
 * one canonical form so that store keys compare as strings (`10.0.0.0/8`, `10.1.2.3/32`,
 * `2001:db8::/32`).
 */
import ipaddr from 'ipaddr.js'

/** An alias text that is not an IP address or CIDR we accept. */
export class InvalidAliasError extends Error {
  readonly code = 'InvalidCidr'
  /** The text as given. */
  readonly input: string
  /** What is wrong with it, without the text (for callers that word their own message). */
  readonly reason: string
  constructor(input: string, reason: string) {
    super(`invalid alias CIDR ${JSON.stringify(input)}: ${reason}`)
    this.name = 'InvalidAliasError'
    this.input = input
    this.reason = reason
  }
}

/** A network: `bytes` (4 or 16, host bits all zero) and the number of leading bits that count. */
export interface ParsedCidr {
  readonly family: 'ipv4' | 'ipv6'
  readonly bytes: Uint8Array
  readonly prefixLength: number
}

/** Four-part decimal, no leading zeros; ipaddr.js checks each part ≤ 255. */
const DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/
const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/
/** `::ffff:a.b.c.d` is 80 zero bits, 16 one bits, then the IPv4 address. */
const IPV4_MAPPED_BITS = 96

/**
 * Parses an IP (a /32 or /128) or a CIDR. IPv4 must be four-part decimal without leading zeros:
 * ipaddr.js alone would also take `10`, `0x0a.1` and other inet_aton forms that nobody means in
 * an alias and that hide typos. IPv6 zone ids (`%eth0`) are refused: they name an interface, not
 * addresses. An IPv4-mapped IPv6 network of prefix ≥ 96 (`::ffff:10.0.0.0/104`) becomes the IPv4
 * network (`10.0.0.0/8`), because mapped clients are matched as IPv4 (see `readClientAddress`).
 *
 * Host bits set (`10.0.0.1/8`) are rejected rather than silently cleared: the author probably
 * meant either the /32 or the /8, and guessing would store an alias that covers 16M addresses
 * when one was meant, or the reverse. The message names the network to use instead.
 * @throws InvalidAliasError naming `text`.
 */
export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf('/')
  const addressText = slash === -1 ? text : text.slice(0, slash)
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1)
  const address = parseAddress(addressText)
  if (address === undefined)
    throw new InvalidAliasError(text, 'not an IPv4 or IPv6 address or CIDR')
  const { family, bytes } = address
  const bits = family === 'ipv4' ? 32 : 128
  let prefixLength = bits
  if (prefixText !== undefined) {
    prefixLength = PREFIX_LENGTH.test(prefixText) ? Number(prefixText) : Number.NaN
    if (!(prefixLength <= bits)) {
      throw new InvalidAliasError(text, `the prefix length must be an integer 0–${bits}`)
    }
  }
  const cidr = unmapIpv4({ family, bytes, prefixLength })
  const network = clearHostBits(cidr.bytes, cidr.prefixLength)
  if (network.some((byte, i) => byte !== cidr.bytes[i])) {
    const suggestion = formatCidr({ ...cidr, bytes: network })
    throw new InvalidAliasError(text, `host bits are set; did you mean ${suggestion}?`)
  }
  return cidr
}

/** The canonical text of an alias CIDR; throws {@link InvalidAliasError} like {@link parseCidr}. */
export function normalizeCidr(text: string): string {
  return formatCidr(parseCidr(text))
}

/** `10.0.0.0/8`, `2001:db8::/32` (RFC 5952 lower-case, compressed). */
export function formatCidr(cidr: ParsedCidr): string {
  const address =
    cidr.family === 'ipv4'
      ? cidr.bytes.join('.')
      : new ipaddr.IPv6(sixteenBitParts(cidr.bytes)).toRFC5952String()
  return `${address}/${cidr.prefixLength}`
}

/** True when 16 `bytes` are `::ffff:a.b.c.d`. */
export function isIpv4Mapped(bytes: ArrayLike<number>): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false
  return bytes[10] === 0xff && bytes[11] === 0xff
}

/**
 * Tested by shape before ipaddr.js parses it: ipaddr's `isValid*` helpers throw and catch
 * internally, which costs ~25 µs per call, 10× the parse itself.
 */
function parseAddress(text: string): Pick<ParsedCidr, 'family' | 'bytes'> | undefined {
  try {
    if (DOTTED_QUAD.test(text)) {
      return { family: 'ipv4', bytes: Uint8Array.from(ipaddr.IPv4.parse(text).toByteArray()) }
    }
    if (text.includes(':') && !text.includes('%')) {
      return { family: 'ipv6', bytes: Uint8Array.from(ipaddr.IPv6.parse(text).toByteArray()) }
    }
  } catch {
    // a part > 255, or not IPv6 after all: fall through
  }
  return undefined
}

function unmapIpv4(cidr: ParsedCidr): ParsedCidr {
  if (cidr.family === 'ipv4' || cidr.prefixLength < IPV4_MAPPED_BITS) return cidr
  if (!isIpv4Mapped(cidr.bytes)) return cidr
  return {
    family: 'ipv4',
    bytes: cidr.bytes.slice(12),
    prefixLength: cidr.prefixLength - IPV4_MAPPED_BITS,
  }
}

function clearHostBits(bytes: Uint8Array, prefixLength: number): Uint8Array {
  return bytes.map((byte, i) => {
    const kept = Math.min(8, Math.max(0, prefixLength - 8 * i))
    return byte & ((0xff << (8 - kept)) & 0xff)
  })
}

function sixteenBitParts(bytes: Uint8Array): number[] {
  const parts: number[] = []
  for (let i = 0; i < bytes.length; i += 2) parts.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0))
  return parts
}
