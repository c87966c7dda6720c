/**
 * The obvious implementation of alias lookup: scan every alias, keep the longest match. Not
 * used in production (O(aliases) per lookup); it is the oracle of the property test and the
 * baseline of `bench/aliases.ts`. It uses ipaddr.js for parsing and matching and shares no code
 * with the trie, so that a bug in one is not a bug in both.
 */
import ipaddr from 'ipaddr.js'
import type { ClientAlias } from './alias-matcher.ts'

interface Range {
  readonly network: ipaddr.IPv4 | ipaddr.IPv6
  readonly prefixLength: number
  readonly description: string
  readonly instanceId: string | null
}

/**
 * `(instanceId, client) => description`, same contract as `AliasMatcher.aliasOf`. Aliases must
 * be valid (as `normalizeCidr` accepts them); the ranges are parsed once here.
 */
export function createLinearAliasOf(
  aliases: readonly ClientAlias[]
): (instanceId: string, client: string) => string {
  const ranges = aliases.map((alias): Range => {
    const [address, prefixLength] = alias.cidr.includes('/')
      ? ipaddr.parseCIDR(alias.cidr)
      : [ipaddr.parse(alias.cidr), alias.cidr.includes(':') ? 128 : 32]
    const [network, length] = unmap(address, prefixLength)
    const { description, instanceId } = alias
    return { network, prefixLength: length, description, instanceId }
  })
  return (instanceId, client) => {
    const address = parseClient(client)
    if (address === undefined) return ''
    for (const scope of [instanceId, null]) {
      let best: Range | undefined
      for (const range of ranges) {
        if (range.instanceId !== scope || range.network.kind() !== address.kind()) continue
        if (!address.match(range.network, range.prefixLength)) continue
        // `>=`: a later alias for the same network replaces an earlier one, as in the trie.
        if (best === undefined || range.prefixLength >= best.prefixLength) best = range
      }
      if (best !== undefined) return best.description
    }
    return ''
  }
}

function parseClient(client: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = client.split('%')[0] ?? ''
  // Shape first: ipaddr's isValid* throw and catch inside, ~25 µs a call.
  if (!text.includes(':')) {
    return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined
  }
  if (!ipaddr.IPv6.isValid(text)) return undefined
  const [address] = unmap(ipaddr.IPv6.parse(text), 128)
  return address
}

function unmap(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  prefixLength: number
): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (address instanceof ipaddr.IPv6 && prefixLength >= 96 && address.isIPv4MappedAddress()) {
    return [address.toIPv4Address(), prefixLength - 96]
  }
  return [address, prefixLength]
}
