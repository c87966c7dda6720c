/**
 * Live faults on a 3+3 cluster, through a real server and signed HTTP calls: a node paused with
 * SIGSTOP (Timeout, the rest answers), a node killed while its reply is pending (ConnectFailed or
 * Timeout), and a replica promoted with CLUSTER FAILOVER (NodeIds and roles follow the new
 * topology on the next call). Every other node must answer with exactly its own sessions.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openNamedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { clusterShards } from '../support/cluster-shards.ts'
import { startCluster, type Cluster } from '../support/redis-cluster.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import {
  ADMIN,
  callApi,
  dataOf,
  nodesOf,
  sessionNames,
  startLiveServer,
  type LiveServer,
  type WireNode,
} from './support/live-api.ts'
import {
  establishedTo,
  expectedClusterNodes,
  type ExpectedNode,
} from './support/topology-expect.ts'

const ID = 'r-rel-cluster'

void describe('faults on a 3+3 cluster, through the API', () => {
  let cluster: Cluster | undefined
  let live: LiveServer | undefined
  const sessions = new Map<number, NamedSessions>()
  const c = (): Cluster => need(cluster, 'cluster')
  const api = (): LiveServer => need(live, 'server')
  const byPort = (port: number): RedisServerHandle =>
    need(
      c().nodes.find((n) => n.port === port),
      `node ${port}`
    )
  const getSessions = async () =>
    callApi(api().url, ADMIN, 'GetRedisAllSession', { InstanceId: ID })

  before(async () => {
    cluster = await startCluster()
    for (const node of await expectedClusterNodes(ID, need(c().nodes[0], 'a node'))) {
      const opened = await openNamedSessions(byPort(node.port), {
        count: 12,
        prefix: `n${node.port}`,
        readonly: node.role === 'replica',
      })
      sessions.set(node.port, opened)
    }
    // 3 s per node (the default). Only replicas are paused: a master paused past the cluster's
    // node timeout (5 s) would be failed over and change the topology under the other tests.
    live = await startLiveServer({ env: { REDIS_SESSIONS_NODE_TIMEOUT_MS: '3000' } })
    const seed = need(c().masters[0], 'a master')
    const added = await callApi(api().url, ADMIN, 'AddRedisInstance', {
      InstanceId: ID,
      Topology: 'cluster',
      Endpoints: `127.0.0.1:${seed.port}`,
    })
    dataOf(added)
  })
  after(async () => {
    for (const node of c().nodes) if (!node.process.hasExited()) node.resume()
    await Promise.all([...sessions.values()].map((s) => s.close()))
    await live?.close()
    await cluster?.stop()
  })

  /** Each `ok` node lists exactly the named sessions opened on it, and nothing of the others. */
  function assertOwnSessions(data: Readonly<Record<string, unknown>>, nodes: WireNode[]): void {
    const listed = sessionNames(data)
    for (const node of nodes.filter((n) => n.Status === 'ok')) {
      const port = Number(node.NodeId.slice(node.NodeId.lastIndexOf('#') + 1))
      const names = listed
        .filter(([nodeId, name]) => nodeId === node.NodeId && /^n\d+-/.test(name))
        .map(([, name]) => name)
        .sort()
      const opened = need(sessions.get(port), `sessions of ${port}`).names.filter((n) => n !== '')
      assert.deepEqual(names, [...opened].sort(), `sessions of ${node.NodeId}`)
    }
  }

  /** The node list is exactly `expected`, with `failed` (by port) in error and the rest ok. */
  function assertNodes(nodes: WireNode[], expected: ExpectedNode[], failed: number[]): void {
    assert.deepEqual(
      nodes.map((n) => [n.NodeId, n.Role, n.Shard, n.Status]),
      expected.map((e) => [e.nodeId, e.role, e.shard, failed.includes(e.port) ? 'error' : 'ok'])
    )
  }

  void it('a node paused with SIGSTOP: HTTP 200, that node Timeout, every other node ok', async () => {
    const expected = await expectedClusterNodes(ID, need(c().masters[0], 'seed'))
    // A replica: pausing a master past the cluster's node timeout would start a failover.
    const paused = need(
      expected.find((e) => e.role === 'replica'),
      'a replica'
    )
    const target = byPort(paused.port)
    target.pause()
    let answer: Awaited<ReturnType<typeof getSessions>>
    try {
      answer = await getSessions()
    } finally {
      target.resume()
    }
    const data = dataOf(answer)
    const nodes = nodesOf(data)
    assertNodes(nodes, expected, [paused.port])
    assert.equal(data['Complete'], false)
    const failed = need(
      nodes.find((n) => n.NodeId === paused.nodeId),
      'paused node'
    )
    assert.equal(failed.Error?.Code, 'Timeout', JSON.stringify(failed))
    assert.equal(failed.Total, 0)
    assertOwnSessions(data, nodes)
    assert.ok(!answer.text.includes(`"NodeId":"${paused.nodeId}","Age"`), 'no session of it')
  })

  void it('a replica promoted with CLUSTER FAILOVER: the next call names it master', async () => {
    const seed = need(c().masters[0], 'seed')
    const before = await expectedClusterNodes(ID, seed)
    dataOf(await getSessions())
    const replica = need(
      before.find((e) => e.role === 'replica'),
      'a replica'
    )
    const oldMaster = need(
      before.find((e) => e.role === 'master' && e.shard === replica.shard),
      'its master'
    )
    await byPort(replica.port).cli('CLUSTER', 'FAILOVER')
    // A call while the failover runs answers JSON, whatever it finds (200, or 503 if nothing).
    const during = await getSessions()
    assert.ok([200, 503].includes(during.status), during.text.slice(0, 300))
    await waitFor(
      async () => {
        for (const node of c().nodes) {
          const shards = await clusterShards(node)
          const all = shards.flatMap((s) => s.nodes)
          const role = (port: number) => all.find((n) => n.port === port)?.role
          if (role(replica.port) !== 'master' || role(oldMaster.port) !== 'replica') return false
          if (all.some((n) => n.health !== 'online')) return false
        }
        return true
      },
      { what: `node ${replica.port} to be master everywhere`, timeoutMs: 60_000 }
    )
    const after = await expectedClusterNodes(ID, seed)
    const data = dataOf(await getSessions())
    const nodes = nodesOf(data)
    assertNodes(nodes, after, [])
    assert.equal(data['Complete'], true)
    const shard = replica.shard
    const promoted = need(
      nodes.find((n) => n.Address === `127.0.0.1:${replica.port}`),
      'promoted'
    )
    assert.deepEqual(
      [promoted.NodeId, promoted.Role],
      [`${ID}-db-${shard}#${replica.port}`, 'master']
    )
    const demoted = need(
      nodes.find((n) => n.Address === `127.0.0.1:${oldMaster.port}`),
      'old'
    )
    assert.deepEqual(
      [demoted.NodeId, demoted.Role],
      [`${ID}-db-${shard}-replica-0#${oldMaster.port}`, 'replica']
    )
    assertOwnSessions(data, nodes)
  })

  void it('a node killed while its reply is pending: ConnectFailed or Timeout, others ok', async () => {
    const seed = need(c().masters[0], 'seed')
    const expected = await expectedClusterNodes(ID, seed)
    const victim = need(
      expected.find((e) => e.role === 'replica' && e.port !== seed.port),
      'a replica'
    )
    const target = byPort(victim.port)
    const baseline = await establishedTo(victim.port)
    target.pause()
    const pending = getSessions()
    try {
      // The collector has connected (the kernel accepts for a stopped process) and waits.
      await waitFor(async () => (await establishedTo(victim.port)) > baseline, {
        what: `a collector connection to ${victim.port}`,
        timeoutMs: 10_000,
        intervalMs: 10,
      })
    } finally {
      target.kill()
    }
    const data = dataOf(await pending)
    const nodes = nodesOf(data)
    assertNodes(nodes, expected, [victim.port])
    const failed = need(
      nodes.find((n) => n.NodeId === victim.nodeId),
      'killed node'
    )
    assert.ok(['ConnectFailed', 'Timeout'].includes(failed.Error?.Code ?? ''), failed.Error?.Code)
    assert.match(failed.Error?.Message ?? '', new RegExp(`^127\\.0\\.0\\.1:${victim.port}: `))
    assert.equal(data['Complete'], false)
    assertOwnSessions(data, nodes)
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
