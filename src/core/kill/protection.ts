import { OWN_CONNECTION_NAME, type ClientSession } from '../sessions/client-session.ts'

const NONE: ReadonlySet<string> = new Set()

/**
 * Why a session must never be killed, or undefined when it may be (contract §4):
 * replication links (flag `S` on a master, `M` on a replica), the service's own
 * connections — named `redis-sessions`, or at one of `ownAddresses` (this process's open
 * connections to the node, `ownAddressesOn`, which are unnamed until their handshake lands) —
 * and Sentinel's monitoring links (`sentinel-<runid>-cmd|pubsub`, redis.md §8): killing those
 * would make Sentinel see the node as down.
 * Cluster bus links are not clients and never appear in CLIENT LIST.
 */
export function protectionReason(
  session: Pick<ClientSession, 'flags' | 'name' | 'addr'>,
  ownAddresses: ReadonlySet<string> = NONE
): string | undefined {
  if (session.flags.includes('S')) return 'replication link (replica connection)'
  if (session.flags.includes('M')) return 'replication link (master connection)'
  if (session.name === OWN_CONNECTION_NAME || ownAddresses.has(session.addr)) {
    return 'connection of redis-sessions itself'
  }
  if (session.name.startsWith('sentinel-')) return 'Sentinel monitoring link'
  return undefined
}
