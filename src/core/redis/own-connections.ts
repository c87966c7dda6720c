/**
 * The client addresses (`addr` of `CLIENT LIST`) of this process's own open Redis connections,
 * per node. A connection is named `redis-sessions` only once its handshake has landed; before
 * that it is an unnamed session like any other, and a concurrent listing or kill must still
 * know it as ours. The local address is read from the socket when asked (getsockname), so a
 * connection counts from the moment its socket connects, before any reply or event is seen.
 *
 * Limits: behind NAT or a proxy the server sees another address (then only the name protects);
 * unix-socket connections have no address of their own (Redis prints the server's path for
 * every socket client) and are never matched here.
 */

/** What the registry needs of a connection: its socket, once there is one. */
export interface LocalEndpoint {
  readonly localAddress?: string | undefined
  readonly localPort?: number | undefined
}

const open = new Map<string, Set<() => LocalEndpoint | undefined>>()

/**
 * Counts a connection to `node` (`formatAddress` of the node) as ours until the returned
 * function is called (call it once the socket is closed). `socketOf` is asked at each lookup.
 */
export function trackOwnConnection(
  node: string,
  socketOf: () => LocalEndpoint | undefined
): () => void {
  let sockets = open.get(node)
  if (sockets === undefined) {
    sockets = new Set()
    open.set(node, sockets)
  }
  sockets.add(socketOf)
  return () => {
    const current = open.get(node)
    if (current === undefined) return
    current.delete(socketOf)
    if (current.size === 0) open.delete(node)
  }
}

/**
 * The `addr` values under which `node` lists this process's open connections: `ip:port`,
 * `[ipv6]:port`, and for IPv4 also `[::ffff:ip]:port` (a dual-stack listener's form).
 */
export function ownAddressesOn(node: string): ReadonlySet<string> {
  const sockets = open.get(node)
  const addresses = new Set<string>()
  if (sockets === undefined) return addresses
  for (const socketOf of sockets) {
    let endpoint: LocalEndpoint | undefined
    try {
      endpoint = socketOf()
    } catch {
      continue // a socket already torn down: nothing of ours to find
    }
    const host = endpoint?.localAddress
    const port = endpoint?.localPort
    if (host === undefined || host === '' || port === undefined) continue
    if (host.includes(':')) {
      addresses.add(`[${host}]:${port}`)
    } else {
      addresses.add(`${host}:${port}`)
      addresses.add(`[::ffff:${host}]:${port}`)
    }
  }
  return addresses
}
