import { TopologyDiscoveryError } from '../errors.ts'
import { INFO, infoReplicas, type InfoFields } from '../redis/commands/info.ts'
import {
  parsePort,
  applyAddressMap,
  formatAddress,
  type NodeAddress,
} from '../redis/node-address.ts'
import type { DiscoveredNode, DiscoveredShard } from './discovered-shard.ts'
import { trySeeds, withConnection } from './seeds.ts'
import type { DeploymentSpec } from './topology.ts'

/** Replica → master hops followed from a seed, and levels of chained replicas followed down. */
export const MAX_REPLICATION_DEPTH = 4

/**
 * A master and its replicas from `INFO replication` (all versions). A seed that is a
 * replica leads to its master (`master_host:master_port`) first, so any node of the
 * group yields the same topology. Replicas of replicas appear only on their own master
 * (redis.md §8), so every replica is asked too, level by level, at most
 * {@link MAX_REPLICATION_DEPTH} levels. One short connection per node, asked in parallel
 * per level; a replica that does not answer stays in the topology (collection reports it).
 * When a replica's master cannot be reached, the master is still listed with the replica.
 */
export async function discoverStandalone(spec: DeploymentSpec): Promise<DiscoveredShard[]> {
  return await trySeeds(spec.endpoints, 'standalone discovery', async (seed) => {
    const top = await findMaster(seed, spec)
    const nodes: DiscoveredNode[] = [
      { announced: top.announced, address: top.address, role: 'master' },
    ]
    const seen = new Set([formatAddress(top.address)])
    let level = top.info === undefined ? top.orphans : entries(top.info, top.address, spec)
    for (let depth = 0; depth < MAX_REPLICATION_DEPTH && level.length > 0; depth++) {
      const fresh = level.filter((n) => !seen.has(formatAddress(n.address)))
      for (const node of fresh) {
        seen.add(formatAddress(node.address))
        nodes.push(node)
      }
      const children = await Promise.all(
        fresh.map(async (node) => {
          const info = await readReplication(node.address, spec).catch(() => undefined)
          return info === undefined ? [] : entries(info, node.address, spec)
        })
      )
      level = children.flat()
    }
    return [{ lowestSlot: undefined, nodes }]
  })
}

interface FoundMaster {
  announced: NodeAddress
  address: NodeAddress
  /** `INFO replication` of the master; `undefined` when it could not be reached. */
  info: InfoFields | undefined
  /** When the master was unreachable: the replica we came from. */
  orphans: DiscoveredNode[]
}

async function findMaster(seed: NodeAddress, spec: DeploymentSpec): Promise<FoundMaster> {
  let current = { announced: seed, address: seed }
  let info = await readReplication(seed, spec)
  for (let hop = 0; ; hop++) {
    const node = formatAddress(current.address)
    const role = info['role']
    if (role === 'master') return { ...current, info, orphans: [] }
    if (role !== 'slave') {
      const why =
        role === undefined ? 'no role in INFO replication (a sentinel?)' : `role '${role}'`
      throw new TopologyDiscoveryError(`${node}: not a master nor a replica: ${why}`, { node })
    }
    if (hop >= MAX_REPLICATION_DEPTH) {
      throw new TopologyDiscoveryError(`${node}: no master within ${hop} replication hops`, {
        node,
      })
    }
    const announced = masterOf(info, node)
    const master = { announced, address: applyAddressMap(announced, spec.addressMap) }
    try {
      info = await readReplication(master.address, spec)
    } catch {
      const orphan: DiscoveredNode = { ...current, role: 'replica' }
      return { ...master, info: undefined, orphans: [orphan] }
    }
    current = master
  }
}

function masterOf(info: InfoFields, node: string): NodeAddress {
  const host = info['master_host']
  if (host === undefined || host === '') {
    throw new TopologyDiscoveryError(`${node}: replica without master_host in INFO replication`, {
      node,
    })
  }
  return { kind: 'tcp', host, port: parsePort(info['master_port'] ?? '', `${node} master_port`) }
}

function entries(info: InfoFields, from: NodeAddress, spec: DeploymentSpec): DiscoveredNode[] {
  return infoReplicas(info, formatAddress(from)).map(({ host, port }) => {
    const announced: NodeAddress = { kind: 'tcp', host, port }
    return { announced, address: applyAddressMap(announced, spec.addressMap), role: 'replica' }
  })
}

async function readReplication(address: NodeAddress, spec: DeploymentSpec): Promise<InfoFields> {
  return await withConnection(address, spec.connection, async (connection) =>
    INFO.parse(await connection.call(INFO.args('replication')), connection.node)
  )
}
