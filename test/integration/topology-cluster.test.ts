import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { discoverTopology } from '../../src/core/topology/discover-topology.ts'
import { clusterShards, type Shard } from '../support/cluster-shards.ts'
import { freePort } from '../support/free-port.ts'
import { startCluster, type Cluster } from '../support/redis-cluster.ts'
import { waitFor } from '../support/wait.ts'
import {
  assertOperatorError,
  rejection,
  required,
  spec,
  startForwarder,
  summary,
  tcp,
} from './topology-support.ts'

/** The NodeIds contract §2 gives the cluster, from the harness's own view of CLUSTER SHARDS. */
function expectedNodeIds(shards: Shard[]): string[] {
  const ordered = [...shards].sort((a, b) => Math.min(...a.slots) - Math.min(...b.slots))
  return ordered
    .flatMap((shard, i) => {
      const master = shard.nodes
        .filter((n) => n.role === 'master')
        .map((n) => `r-test-db-${i}#${n.port}`)
      const replicas = shard.nodes
        .filter((n) => n.role === 'replica')
        .map((n) => n.port)
        .sort((a, b) => a - b)
        .map((port, k) => `r-test-db-${i}-replica-${k}#${port}`)
      return [...master, ...replicas]
    })
    .sort()
}

void describe('discoverTopology: cluster of 3 masters + 3 replicas', () => {
  let cluster: Cluster | undefined
  let expected: string[] = []
  const c = (): Cluster => required(cluster, 'cluster')

  before(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1 })
    expected = expectedNodeIds(await clusterShards(required(cluster.nodes[0], 'node')))
  })
  after(async () => {
    await cluster?.stop()
  })

  void it('finds 6 nodes in 3 shards with contract NodeIds from a master seed', async () => {
    const topology = await discoverTopology(
      spec('cluster', [tcp(required(c().masters[0], 'master'))])
    )
    assert.equal(topology.kind, 'cluster')
    assert.equal(topology.nodes.length, 6)
    assert.deepEqual(
      topology.nodes.map((n) => n.nodeId),
      expected
    )
    assert.deepEqual(
      topology.nodes.map((n) => [n.role, n.shard]),
      [0, 1, 2].flatMap((shard) => [
        ['master', shard],
        ['replica', shard],
      ])
    )
  })

  void it('gives the same topology from a replica seed, under auto, after a dead seed', async () => {
    const fromMaster = await discoverTopology(
      spec('cluster', [tcp(required(c().masters[1], 'master'))])
    )
    const dead = { kind: 'tcp' as const, host: '127.0.0.1', port: await freePort() }
    const replica = tcp(required(c().replicas[2], 'replica'))
    const fromReplica = await discoverTopology(spec('auto', [dead, replica]))
    assert.equal(fromReplica.kind, 'cluster')
    assert.deepEqual(fromReplica, fromMaster)
  })

  void it('falls back to CLUSTER NODES when CLUSTER SHARDS is not permitted', async () => {
    const seed = required(c().replicas[0], 'replica')
    await seed.cli(
      'ACL',
      'SETUSER',
      'nodes-only',
      'on',
      '>Nodes-Only-1',
      '-@all',
      '+client|setname',
      '+cluster|nodes'
    )
    const topology = await discoverTopology(
      spec('cluster', [tcp(seed)], {
        connection: {
          connectTimeoutMs: 5000,
          commandTimeoutMs: 5000,
          username: 'nodes-only',
          password: 'Nodes-Only-1',
        },
      })
    )
    assert.deepEqual(
      topology.nodes.map((n) => n.nodeId),
      expected
    )
    assert.deepEqual(topology, await discoverTopology(spec('cluster', [tcp(seed)])))
  })

  void it('fails with NoPermission naming CLUSTER SHARDS when neither SHARDS nor NODES is permitted', async () => {
    const seed = required(c().masters[0], 'master')
    const secret = 'No-Cluster-Secret-3'
    await seed.cli(
      'ACL',
      'SETUSER',
      'no-cluster',
      'on',
      `>${secret}`,
      '-@all',
      '+client|setname',
      '+info'
    )
    const connection = {
      connectTimeoutMs: 5000,
      commandTimeoutMs: 5000,
      username: 'no-cluster',
      password: secret,
    }
    const error = await rejection(discoverTopology(spec('auto', [tcp(seed)], { connection })))
    const node = `127.0.0.1:${seed.port}`
    assertOperatorError(error, {
      code: 'TopologyDiscoveryFailed',
      node,
      cause: /no permission for CLUSTER SHARDS: NOPERM/,
      secret,
    })
    assert.ok(error instanceof Error)
    assertOperatorError(error.cause, {
      code: 'NoPermission',
      node,
      cause: /cluster\|shards/,
      secret,
    })
  })

  void it('connects to mapped addresses, NodeIds unchanged', async () => {
    const master = required(c().masters[2], 'master')
    const forwarder = await startForwarder(master)
    try {
      const addressMap = new Map([[`127.0.0.1:${master.port}`, `127.0.0.1:${forwarder.port}`]])
      const topology = await discoverTopology(spec('cluster', [tcp(master)], { addressMap }))
      assert.deepEqual(
        topology.nodes.map((n) => n.nodeId),
        expected
      )
      const mapped = topology.nodes.find((n) => n.nodeId.endsWith(`#${master.port}`))
      assert.deepEqual(mapped?.address, { kind: 'tcp', host: '127.0.0.1', port: forwarder.port })
    } finally {
      await forwarder.close()
    }
  })

  // Last: it kills a node for good.
  void it('lists a failed replica with a skipReason', async () => {
    const victim = required(c().replicas[1], 'replica')
    const seed = required(c().masters[0], 'master')
    victim.kill()
    await waitFor(
      async () => {
        const lines = (await seed.cli('CLUSTER', 'NODES')).split('\n')
        const line = lines.find((l) => l.includes(`:${victim.port}@`))
        return line?.split(' ')[2]?.split(',').includes('fail') === true
      },
      { what: `the cluster to flag ${victim.port} as failed`, timeoutMs: 30_000 }
    )
    const viaShards = await discoverTopology(spec('cluster', [tcp(seed)]))
    const failed = summary(viaShards).filter(([, , , reason]) => reason !== undefined)
    assert.equal(failed.length, 1)
    assert.equal(failed[0]?.[2], victim.port)
    assert.match(failed[0]?.[3] ?? '', /failed/)
    assert.deepEqual(
      viaShards.nodes.map((n) => n.nodeId),
      expected
    )
    // The same through CLUSTER NODES (the ACL user of the fallback test cannot run SHARDS).
    const nodesOnly = {
      connectTimeoutMs: 5000,
      commandTimeoutMs: 5000,
      username: 'nodes-only',
      password: 'Nodes-Only-1',
    }
    const seedReplica = tcp(required(c().replicas[0], 'replica'))
    const viaNodes = await discoverTopology(
      spec('cluster', [seedReplica], { connection: nodesOnly })
    )
    assert.deepEqual(viaNodes, viaShards)
  })
})
