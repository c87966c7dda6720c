import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { discoverTopology } from '../../src/core/topology/discover-topology.ts'
import { freePort } from '../support/free-port.ts'
import {
  startReplication,
  waitForReplicationUp,
  type Replication,
} from '../support/redis-replication.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { required, spec, startForwarder, summary, tcp } from './topology-support.ts'

// master ← replica A ← chained replica C, master ← replica B.
void describe('discoverTopology: standalone with replicas', () => {
  let group: Replication | undefined
  let chained: RedisServerHandle | undefined
  let expected: ReturnType<typeof summary> = []
  const g = (): Replication => required(group, 'replication')
  const replica = (i: number): RedisServerHandle => required(g().replicas[i], `replica ${i}`)
  const c = (): RedisServerHandle => required(chained, 'chained replica')

  before(async () => {
    group = await startReplication({ replicas: 2 })
    const [a] = group.replicas
    if (a === undefined) throw new Error('no replica')
    chained = await startRedisServer({ replicaOf: a })
    await waitForReplicationUp(a, [chained])
    const replicaPorts = [...group.replicas, chained].map((r) => r.port).sort((x, y) => x - y)
    expected = [
      [`r-test-db-0#${group.master.port}`, 'master', group.master.port, undefined],
      ...replicaPorts.map((port, k): [string, string, number, undefined] => [
        `r-test-db-0-replica-${k}#${port}`,
        'replica',
        port,
        undefined,
      ]),
    ]
  })
  after(async () => {
    await chained?.stop()
    await group?.stop()
  })

  void it('finds the master and every replica, chained ones included, from the master', async () => {
    const topology = await discoverTopology(spec('standalone', [tcp(g().master)]))
    assert.equal(topology.kind, 'standalone')
    assert.deepEqual(summary(topology), expected)
    assert.ok(topology.nodes.every((n) => n.shard === 0))
  })

  void it('gives the same topology from a replica and from a chained replica', async () => {
    for (const seed of [replica(1), c()]) {
      assert.deepEqual(summary(await discoverTopology(spec('standalone', [tcp(seed)]))), expected)
    }
  })

  void it('detects standalone under auto and skips a dead seed', async () => {
    const dead = { kind: 'tcp' as const, host: '127.0.0.1', port: await freePort() }
    const topology = await discoverTopology(spec('auto', [dead, tcp(replica(0))]))
    assert.equal(topology.kind, 'standalone')
    assert.deepEqual(summary(topology), expected)
  })

  void it('closes every connection it opened', async () => {
    await discoverTopology(spec('standalone', [tcp(g().master)]))
    for (const server of [g().master, ...g().replicas, c()]) {
      await waitFor(
        async () => !(await server.cli('CLIENT', 'LIST')).includes('name=redis-sessions '),
        {
          what: `no redis-sessions connection left on ${server.port}`,
        }
      )
    }
  })

  void it('connects through the address map and keeps the announced port in NodeIds', async () => {
    const a = replica(0)
    const forwarder = await startForwarder(a)
    try {
      const addressMap = new Map([[`127.0.0.1:${a.port}`, `127.0.0.1:${forwarder.port}`]])
      const topology = await discoverTopology(spec('standalone', [tcp(g().master)], { addressMap }))
      const mapped = topology.nodes.find((n) => n.nodeId.endsWith(`#${a.port}`))
      assert.deepEqual(mapped?.address, { kind: 'tcp', host: '127.0.0.1', port: forwarder.port })
      // A's chained replica is only known to A: finding it proves A was asked through the map.
      assert.ok(topology.nodes.some((n) => n.nodeId.endsWith(`#${c().port}`)))
      assert.ok(forwarder.connections() >= 1)
    } finally {
      await forwarder.close()
    }
  })

  void it('lists the endpoints of a nodes topology as proxies, in order, without connecting', async () => {
    const dead = { kind: 'tcp' as const, host: '127.0.0.1', port: await freePort() }
    const topology = await discoverTopology(spec('nodes', [tcp(replica(1)), dead]))
    assert.equal(topology.kind, 'nodes')
    assert.deepEqual(summary(topology), [
      [`r-test-proxy-0#${replica(1).port}`, 'proxy', replica(1).port, undefined],
      [`r-test-proxy-1#${dead.port}`, 'proxy', dead.port, undefined],
    ])
  })
})

void describe('discoverTopology: standalone over a unix socket', () => {
  let server: RedisServerHandle | undefined
  before(async () => {
    server = await startRedisServer({ unixSocket: true, password: 'unix-Secret-1' })
  })
  after(async () => {
    await server?.stop()
  })

  void it('discovers a lone master through its socket path', async () => {
    const path = required(required(server, 'server').unixSocket, 'socket')
    const topology = await discoverTopology(
      spec('auto', [{ kind: 'unix', path }], {
        connection: { connectTimeoutMs: 5000, commandTimeoutMs: 5000, password: 'unix-Secret-1' },
      })
    )
    assert.equal(topology.kind, 'standalone')
    assert.deepEqual(topology.nodes, [
      { nodeId: 'r-test-db-0#0', address: { kind: 'unix', path }, role: 'master', shard: 0 },
    ])
  })
})
