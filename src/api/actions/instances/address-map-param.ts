import { CoreError } from '../../../core/errors.ts'
import { formatAddress, parseEndpoint } from '../../../core/redis/node-address.ts'
import type { AddressMapping } from '../../../store/store.ts'
import { invalid, optionalString } from '../params.ts'

/** At most this many `from=to` entries (every master and replica of a large cluster). */
export const MAX_ADDRESS_MAPPINGS = 1024

/**
 * `AddressMap`: a comma list of `from=to`, each side `host:port` (`[v6]:port`), e.g.
 * `10.0.0.5:6379=203.0.113.5:16379,10.0.0.6:6379=203.0.113.5:16380`. `from` is an address as
 * the deployment announces it (cluster nodes, a master's replicas, Sentinel's view), `to`
 * where to connect instead. Absent → `undefined`; empty → `null` (no map; clears on Modify).
 * Throws `InvalidParams` naming the entry and what is wrong with it.
 */
export function addressMapParam(
  params: ReadonlyMap<string, string>
): AddressMapping[] | null | undefined {
  const value = optionalString(params, 'AddressMap', MAX_ADDRESS_MAPPINGS * 128)
  if (value === undefined) return undefined
  if (value.trim() === '') return null
  const items = value.split(',').map((item) => item.trim())
  if (items.length > MAX_ADDRESS_MAPPINGS) {
    invalid(`AddressMap has more than ${MAX_ADDRESS_MAPPINGS} entries`)
  }
  const seen = new Map<string, number>()
  return items.map((item, index) => {
    const where = `AddressMap entry ${index + 1}`
    if (item === '') invalid(`${where} is empty: expected from=to, e.g. 10.0.0.5:6379=host:16379`)
    const sides = item.split('=')
    if (sides.length !== 2) {
      invalid(`${where} '${item}': expected exactly one '=' between two host:port addresses`)
    }
    const [from, to] = sides.map((side) => mappedAddress(side.trim(), where))
    if (from === undefined || to === undefined) throw new Error('unreachable: two sides')
    const earlier = seen.get(from)
    if (earlier !== undefined)
      invalid(`${where} maps ${from} again (entry ${earlier} already does)`)
    seen.set(from, index + 1)
    return { from, to }
  })
}

/**
 * One side of an entry: `host:port` or `[v6]:port` with the port written out (announced
 * addresses always carry one, so a default would only hide a typo); IPv6 in lower case, as
 * Redis prints it, so the entry matches the announced text.
 */
function mappedAddress(side: string, where: string): string {
  if (side === '') invalid(`${where}: an address is empty: expected host:port`)
  if (side.startsWith('/')) invalid(`${where}: '${side}' is a socket path; only host:port maps`)
  const hasPort = side.startsWith('[') ? side.includes(']:') : side.includes(':')
  try {
    const address = parseEndpoint(side)
    if (address.kind !== 'tcp') throw new Error('unreachable: not a socket path')
    if (!hasPort) invalid(`${where}: '${side}' has no port: write host:port`)
    const host = address.host.includes(':') ? address.host.toLowerCase() : address.host
    return formatAddress({ ...address, host })
  } catch (error) {
    // parseEndpoint's message quotes the address and says what is wrong with it.
    if (error instanceof CoreError) invalid(`${where}: ${error.message}`)
    throw error
  }
}
