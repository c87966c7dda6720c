/**
 * IP addresses and CIDR ranges for `IpAddress` / `NotIpAddress` and `acs:SourceIp`, via ipaddr.js.
 * IPv4-mapped IPv6 (`::ffff:10.1.2.3`, what a dual-stack socket reports for an IPv4 peer) is
 * normalised to IPv4 on both sides, so `10.0.0.0/8` matches such a peer.
 */
import ipaddr from 'ipaddr.js'

/** One IP address. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6

/** A CIDR range; a single address is a range with the full prefix length (32 or 128). */
export interface IpRange {
  readonly address: IpAddress
  readonly prefixLength: number
}

const IPV4_MAPPED_PREFIX_BITS = 96

/**
 * Parses one address. IPv4 must be four-part decimal: ipaddr.js also accepts `10`, `0x0a.1` and
 * other inet_aton forms, which nobody means in a policy and which hide typos.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text)
  if (!ipaddr.IPv6.isValid(text)) return undefined
  const v6 = ipaddr.IPv6.parse(text)
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or an IPv6 CIDR; `undefined` when it is none. */
export function parseIpRange(text: string): IpRange | undefined {
  if (!text.includes('/')) {
    const address = parseIpAddress(text)
    if (address === undefined) return undefined
    return { address, prefixLength: address.kind() === 'ipv4' ? 32 : 128 }
  }
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(text)
    return { address, prefixLength }
  }
  if (!ipaddr.IPv6.isValidCIDR(text)) return undefined
  const [address, prefixLength] = ipaddr.IPv6.parseCIDR(text)
  if (address.isIPv4MappedAddress() && prefixLength >= IPV4_MAPPED_PREFIX_BITS) {
    return {
      address: address.toIPv4Address(),
      prefixLength: prefixLength - IPV4_MAPPED_PREFIX_BITS,
    }
  }
  return { address, prefixLength }
}

/** True when `address` lies in `range`; addresses of the other family never match. */
export function ipInRange(address: IpAddress, range: IpRange): boolean {
  // ipaddr.js throws when asked to match across families.
  if (address.kind() !== range.address.kind()) return false
  return address.match(range.address, range.prefixLength)
}
