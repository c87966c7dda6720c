import { clusterShards } from './cluster-shards.ts'
import { parseInfo, runRedisCli } from './redis-cli.ts'
import { startRedisServers, type RedisServerHandle } from './redis-server.ts'
import { waitFor } from './wait.ts'

/** A Redis Cluster started by this harness. */
export interface Cluster {
  /** Every node (in the order they came up). */
  nodes: RedisServerHandle[]
  /** Nodes that ended up as masters (holding slots) once the cluster converged. */
  masters: RedisServerHandle[]
  replicas: RedisServerHandle[]
  /** Stops every node. */
  stop(): Promise<void>
}

/**
 * Starts `masters` (default 3, minimum 3 for `redis-cli --cluster create`) × (1 + `replicasPerMaster`,
 * default 1) cluster nodes on free ports (bus port = port + 10000 free too), creates the cluster and
 * waits until every node says `cluster_state:ok`, knows all nodes, and its `CLUSTER SHARDS` shows every
 * node `online` (replicas report `loading` until their replication offset moves, `redis.md` §8).
 */
export async function startCluster(
  options: { masters?: number; replicasPerMaster?: number; password?: string } = {}
): Promise<Cluster> {
  const masterCount = options.masters ?? 3
  const perMaster = options.replicasPerMaster ?? 1
  if (masterCount < 3)
    throw new Error('startCluster: redis-cli --cluster create needs masters >= 3')
  const total = masterCount * (1 + perMaster)
  const nodes: RedisServerHandle[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()))
  }
  try {
    const server = {
      cluster: true,
      // A master PINGs its replicas every second, so their offsets leave 0 and SHARDS says online.
      args: ['--repl-ping-replica-period', '1'],
      ...(options.password === undefined ? {} : { password: options.password }),
    }
    nodes.push(...(await startRedisServers(total, server)))
    const first = nodes[0]
    if (first === undefined) throw new Error('startCluster: no nodes')
    await runRedisCli(
      first,
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`)].concat([
        '--cluster-replicas',
        String(perMaster),
        '--cluster-yes',
      ]),
      { timeoutMs: 60_000 }
    )
    await waitForClusterHealthy(nodes, masterCount)
    const roles = new Map(
      (await clusterShards(first)).flatMap((s) => s.nodes).map((n) => [n.port, n.role])
    )
    return {
      nodes,
      masters: nodes.filter((n) => roles.get(n.port) === 'master'),
      replicas: nodes.filter((n) => roles.get(n.port) === 'replica'),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Waits until every node agrees: state ok, all nodes known, all online, `masters` shards with slots. */
export async function waitForClusterHealthy(
  nodes: readonly RedisServerHandle[],
  masters: number
): Promise<void> {
  await waitFor(
    async () => {
      for (const node of nodes) {
        const info = parseInfo(await node.cli('CLUSTER', 'INFO'))
        if (info.get('cluster_state') !== 'ok') return false
        if (info.get('cluster_known_nodes') !== String(nodes.length)) return false
        const shards = await clusterShards(node)
        const listed = shards.flatMap((s) => s.nodes)
        if (listed.length !== nodes.length || listed.some((n) => n.health !== 'online'))
          return false
        if (shards.filter((s) => s.slots.length > 0).length !== masters) return false
        // A node that has not yet heard that another became a replica lists it as a slot-less
        // master of its own shard: wait until every node's view has exactly `masters` shards.
        if (shards.length !== masters) return false
      }
      return true
    },
    { what: `cluster of ${nodes.length} nodes to be healthy`, timeoutMs: 60_000 }
  )
}
