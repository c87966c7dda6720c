import { isIPv4, isIPv6 } from 'node:net'
import { InvalidRedisUrlError } from '../errors.ts'

/** Where a node listens: TCP host and port, or a unix socket path (standalone only). */
export type NodeAddress =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

/**
 * Announced address (`ip:port` as the deployment reports it) → reachable address
 * (`host:port`), for NAT'd or container deployments (like ioredis `natMap`).
 */
export type AddressMap = ReadonlyMap<string, string>

/** The port Redis listens on when none is given. */
export const DEFAULT_REDIS_PORT = 6379

// A DNS name or an IPv4 address: letters, digits, dots, dashes, underscores (container names).
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/

/**
 * `host:port`, `[v6]:port` or a socket path → a NodeAddress. The port defaults to 6379.
 * Throws {@link InvalidRedisUrlError} naming what is wrong.
 */
export function parseEndpoint(text: string, defaultPort = DEFAULT_REDIS_PORT): NodeAddress {
  const trimmed = text.trim()
  if (trimmed === '') throw new InvalidRedisUrlError('empty endpoint: expected host:port')
  if (trimmed.startsWith('/')) return { kind: 'unix', path: trimmed }
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']')
    const host = trimmed.slice(1, close)
    if (close < 0 || !isIPv6(host)) {
      throw new InvalidRedisUrlError(`endpoint '${trimmed}': not a valid [IPv6] address`)
    }
    const rest = trimmed.slice(close + 1)
    if (rest === '') return { kind: 'tcp', host, port: defaultPort }
    if (!rest.startsWith(':'))
      throw new InvalidRedisUrlError(`endpoint '${trimmed}': expected ':port'`)
    return { kind: 'tcp', host, port: parsePort(rest.slice(1), trimmed) }
  }
  const colon = trimmed.lastIndexOf(':')
  if (colon !== trimmed.indexOf(':')) {
    throw new InvalidRedisUrlError(
      `endpoint '${trimmed}': write IPv6 addresses in brackets, e.g. [::1]:6379`
    )
  }
  const host = colon < 0 ? trimmed : trimmed.slice(0, colon)
  if (!HOST_NAME.test(host)) throw new InvalidRedisUrlError(`endpoint '${trimmed}': bad host name`)
  const port = colon < 0 ? defaultPort : parsePort(trimmed.slice(colon + 1), trimmed)
  return { kind: 'tcp', host, port }
}

/** A TCP port 1–65535 given as decimal digits. */
export function parsePort(text: string, context: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
  if (!(port >= 1 && port <= 65535)) {
    throw new InvalidRedisUrlError(`'${context}': port must be a number from 1 to 65535`)
  }
  return port
}

/** `host:port`, `[::1]:6379` for IPv6, the path for a unix socket. */
export function formatAddress(address: NodeAddress): string {
  if (address.kind === 'unix') return address.path
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`
}

/**
 * The address to connect to for an address the deployment announced: the map's
 * entry for `formatAddress(address)` when there is one, else the address itself.
 */
export function applyAddressMap(address: NodeAddress, map: AddressMap | undefined): NodeAddress {
  if (map === undefined || address.kind === 'unix') return address
  const mapped = map.get(formatAddress(address))
  return mapped === undefined ? address : parseEndpoint(mapped, address.port)
}

/**
 * Address order used for NodeIds (contract §2): host, then port. IPv4 hosts compare
 * numerically by octet (10.0.0.9 before 10.0.0.10), other hosts as plain strings.
 */
export function compareAddresses(a: NodeAddress, b: NodeAddress): number {
  const [hostA, portA] = a.kind === 'tcp' ? [a.host, a.port] : [a.path, 0]
  const [hostB, portB] = b.kind === 'tcp' ? [b.host, b.port] : [b.path, 0]
  return compareHosts(hostA, hostB) || portA - portB
}

function compareHosts(a: string, b: string): number {
  if (isIPv4(a) && isIPv4(b)) {
    const octetsA = a.split('.').map(Number)
    const octetsB = b.split('.').map(Number)
    for (let i = 0; i < 4; i++) {
      const diff = (octetsA[i] ?? 0) - (octetsB[i] ?? 0)
      if (diff !== 0) return diff
    }
    return 0
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when both name the same TCP host and port or the same socket path. */
export function sameAddress(a: NodeAddress, b: NodeAddress): boolean {
  return formatAddress(a) === formatAddress(b)
}
