import { compareAddresses, type NodeAddress } from '../redis/node-address.ts'
import type { DiscoveredNode, DiscoveredShard } from './discovered-shard.ts'
import type { RedisNode } from './topology.ts'

/**
 * Gives every discovered node its NodeId (contract §2) and returns them sorted by NodeId:
 * - shards with slots are numbered by their lowest slot, 0-based; slot-less shards come
 *   after them, ordered by their first node's address;
 * - in a shard, the master is `<id>-db-<shard>#<port>` and every other node
 *   `<id>-db-<shard>-replica-<k>#<port>`, k by address order (host, then port), 0-based;
 * - ports and order come from the announced address, so a NodeId does not change when
 *   the address map does; a unix socket has port 0.
 * A shard with two nodes reporting `master` (a stale one after a failover) gives the
 * first live one in address order the master's NodeId; the other keeps role `master`
 * but a replica-style NodeId, so NodeIds stay unique.
 */
export function assignNodeIds(instanceId: string, shards: readonly DiscoveredShard[]): RedisNode[] {
  const ordered = shards
    .filter((shard) => shard.nodes.length > 0)
    .map((shard) => ({ ...shard, nodes: [...shard.nodes].sort(byAnnounced) }))
    .sort(compareShards)
  const nodes: RedisNode[] = []
  ordered.forEach((shard, index) => {
    const master =
      shard.nodes.find((n) => n.role === 'master' && n.skipReason === undefined) ??
      shard.nodes.find((n) => n.role === 'master')
    if (master !== undefined) nodes.push(toRedisNode(master, `${instanceId}-db-${index}`, index))
    let k = 0
    for (const node of shard.nodes) {
      if (node === master) continue
      nodes.push(toRedisNode(node, `${instanceId}-db-${index}-replica-${k++}`, index))
    }
  })
  return nodes.sort((a, b) => compareNodeIds(a.nodeId, b.nodeId))
}

/** Proxies of a `nodes` topology: `<id>-proxy-<i>#<port>`, i = listed order (0-based). */
export function assignProxyIds(instanceId: string, endpoints: readonly NodeAddress[]): RedisNode[] {
  return endpoints.map((address, i) => ({
    nodeId: `${instanceId}-proxy-${i}#${portOf(address)}`,
    address,
    role: 'proxy',
    shard: i,
  }))
}

/**
 * NodeId order: digit runs compare as numbers (`db-2` before `db-10`, `proxy-9` before
 * `proxy-10`), everything else by UTF-16 code unit. Use it wherever lists are sorted by NodeId.
 */
export function compareNodeIds(a: string, b: string): number {
  const partsA = a.match(/\d+|\D+/g) ?? []
  const partsB = b.match(/\d+|\D+/g) ?? []
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i] ?? ''
    const y = partsB[i] ?? ''
    if (x === y) continue
    const numeric = /^\d/.test(x) && /^\d/.test(y)
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y)
    return x < y ? -1 : 1
  }
  return partsA.length - partsB.length
}

function toRedisNode(node: DiscoveredNode, prefix: string, shard: number): RedisNode {
  return {
    nodeId: `${prefix}#${portOf(node.announced)}`,
    address: node.address,
    role: node.role,
    shard,
    ...(node.skipReason === undefined ? {} : { skipReason: node.skipReason }),
  }
}

function portOf(address: NodeAddress): number {
  return address.kind === 'tcp' ? address.port : 0
}

function byAnnounced(a: DiscoveredNode, b: DiscoveredNode): number {
  return compareAddresses(a.announced, b.announced)
}

function compareShards(a: DiscoveredShard, b: DiscoveredShard): number {
  if (a.lowestSlot !== undefined && b.lowestSlot !== undefined) return a.lowestSlot - b.lowestSlot
  if (a.lowestSlot !== undefined) return -1
  if (b.lowestSlot !== undefined) return 1
  const first = (s: DiscoveredShard): DiscoveredNode | undefined =>
    s.nodes.find((n) => n.role === 'master') ?? s.nodes[0]
  const x = first(a)
  const y = first(b)
  return x === undefined || y === undefined ? 0 : byAnnounced(x, y)
}
