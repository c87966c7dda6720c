import { RedisReplyError } from '../errors.ts'
import { CLUSTER_NODES, type ClusterNodesEntry } from '../redis/commands/cluster-nodes.ts'
import { CLUSTER_SHARDS, type ClusterShard } from '../redis/commands/cluster-shards.ts'
import type { NodeConnection } from '../redis/connection.ts'
import { applyAddressMap, type NodeAddress } from '../redis/node-address.ts'
import type { DiscoveredNode, DiscoveredShard } from './discovered-shard.ts'
import { trySeeds, withConnection } from './seeds.ts'
import type { DeploymentSpec } from './topology.ts'

/**
 * Every master and replica of a cluster, from one seed: `CLUSTER SHARDS` (7.0+; it
 * includes slot-less masters), else `CLUSTER NODES` (all versions) when SHARDS is
 * unknown or not permitted. Seeds are tried in turn; any node answers for the whole
 * cluster, replicas included. Nodes the cluster reports failed, in handshake or without
 * an address are listed with a `skipReason` and not asked. One connection in all.
 */
export async function discoverCluster(spec: DeploymentSpec): Promise<DiscoveredShard[]> {
  return await trySeeds(spec.endpoints, 'cluster discovery', (seed) =>
    withConnection(seed, spec.connection, (connection) => readCluster(connection, seed, spec))
  )
}

async function readCluster(
  connection: NodeConnection,
  seed: NodeAddress,
  spec: DeploymentSpec
): Promise<DiscoveredShard[]> {
  let shardsError: RedisReplyError
  try {
    const shards = CLUSTER_SHARDS.parse(
      await connection.call(CLUSTER_SHARDS.args()),
      connection.node
    )
    return shards.map((shard) => fromShard(shard, spec))
  } catch (error) {
    if (!isUnavailable(error)) throw error
    shardsError = error
  }
  try {
    const text = await connection.callText(CLUSTER_NODES.args())
    return fromNodes(CLUSTER_NODES.parse(text, connection.node), seed, spec)
  } catch (error) {
    // Both refused: on a 7.0+ server the SHARDS refusal is the one to fix.
    if (isUnavailable(error) && shardsError.code === 'NoPermission') throw shardsError
    throw error
  }
}

function isUnavailable(error: unknown): error is RedisReplyError {
  return (
    error instanceof RedisReplyError &&
    (error.code === 'CommandDisabled' || error.code === 'NoPermission')
  )
}

function fromShard(shard: ClusterShard, spec: DeploymentSpec): DiscoveredShard {
  return {
    lowestSlot: lowest(shard.slots),
    nodes: shard.nodes.map((node) => {
      // With TLS on, connect to the TLS port when the node has one (redis.md §11.7).
      const port =
        (spec.connection.tls === undefined ? node.port : node.tlsPort) ??
        node.port ??
        node.tlsPort ??
        0
      const skipReason =
        node.health === 'fail' ? 'the cluster reports the node as failed' : undefined
      return discovered({ kind: 'tcp', host: node.ip, port }, node.role, skipReason, spec)
    }),
  }
}

function fromNodes(
  entries: readonly ClusterNodesEntry[],
  seed: NodeAddress,
  spec: DeploymentSpec
): DiscoveredShard[] {
  const shards = new Map<string, DiscoveredShard>()
  const shardOf = (key: string): DiscoveredShard => {
    const existing = shards.get(key)
    if (existing !== undefined) return existing
    const created: DiscoveredShard = { lowestSlot: undefined, nodes: [] }
    shards.set(key, created)
    return created
  }
  for (const entry of entries) {
    // A fresh node does not know its own ip yet (`:7000@17000`): it is the seed we asked.
    const host =
      entry.ip === '' && entry.flags.has('myself') && seed.kind === 'tcp' ? seed.host : entry.ip
    const replica = entry.masterId !== undefined || entry.flags.has('slave')
    const shard = shardOf(replica ? (entry.masterId ?? entry.id) : entry.id)
    if (!replica) shard.lowestSlot = lowest(entry.slots)
    const address: NodeAddress = { kind: 'tcp', host, port: entry.port }
    shard.nodes.push(
      discovered(address, replica ? 'replica' : 'master', skipReasonOf(entry, host), spec)
    )
  }
  return [...shards.values()]
}

function skipReasonOf(entry: ClusterNodesEntry, host: string): string | undefined {
  if (entry.flags.has('handshake')) return 'the cluster is still in handshake with the node'
  if (entry.flags.has('noaddr') || host === '' || entry.port === 0)
    return 'the cluster knows no address for the node'
  if (entry.flags.has('fail')) return 'the cluster reports the node as failed'
  return undefined
}

function discovered(
  announced: NodeAddress,
  role: 'master' | 'replica',
  skipReason: string | undefined,
  spec: DeploymentSpec
): DiscoveredNode {
  const address = skipReason === undefined ? applyAddressMap(announced, spec.addressMap) : announced
  return { announced, address, role, ...(skipReason === undefined ? {} : { skipReason }) }
}

function lowest(slots: ReadonlyArray<readonly [number, number]>): number | undefined {
  return slots.length === 0 ? undefined : Math.min(...slots.map(([start]) => start))
}
