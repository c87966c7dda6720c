/**
 * What the live fault tests expect, computed from the servers themselves (not from src/): the
 * NodeIds of contract §2 from `CLUSTER SHARDS`, and the sockets a process holds to a port.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { clusterShards } from '../../support/cluster-shards.ts'
import type { RedisServerHandle } from '../../support/redis-server.ts'

/** A node as contract §2 names it. */
export interface ExpectedNode {
  nodeId: string
  port: number
  role: 'master' | 'replica'
  shard: number
}

/**
 * NodeIds of a cluster as `seed` sees it now: shards with slots numbered by lowest slot (0-based),
 * the master `<id>-db-<shard>#<port>`, replicas `<id>-db-<shard>-replica-<k>#<port>` with k by
 * port (every node is on 127.0.0.1). Sorted shard by shard, master first.
 */
export async function expectedClusterNodes(
  instanceId: string,
  seed: RedisServerHandle
): Promise<ExpectedNode[]> {
  const shards = (await clusterShards(seed))
    .filter((shard) => shard.slots.length > 0)
    .map((shard) => ({ ...shard, lowest: Math.min(...shard.slots.filter((_, i) => i % 2 === 0)) }))
    .sort((a, b) => a.lowest - b.lowest)
  return shards.flatMap((shard, index): ExpectedNode[] => {
    const master = shard.nodes.find((n) => n.role === 'master')
    assert.ok(master !== undefined, `shard ${index} has a master`)
    const replicas = shard.nodes.filter((n) => n !== master).sort((a, b) => a.port - b.port)
    return [
      {
        nodeId: `${instanceId}-db-${index}#${master.port}`,
        port: master.port,
        role: 'master',
        shard: index,
      },
      ...replicas.map((r, k) => ({
        nodeId: `${instanceId}-db-${index}-replica-${k}#${r.port}`,
        port: r.port,
        role: 'replica' as const,
        shard: index,
      })),
    ]
  })
}

/**
 * How many established TCP connections on this machine go *to* `port` (client side), from
 * /proc/net/tcp and tcp6. A paused redis-server still completes the TCP handshake (the kernel
 * does it), so a new connection here means a client has reached the node and now waits for it.
 */
export async function establishedTo(port: number): Promise<number> {
  let count = 0
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const remote = fields[2]
      const state = fields[3]
      if (remote === undefined || state !== '01') continue
      const remotePort = Number.parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16)
      if (remotePort === port) count++
    }
  }
  return count
}
