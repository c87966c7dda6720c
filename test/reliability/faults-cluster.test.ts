/**
 * Live faults on a 3+3 cluster, through a real server and signed HTTP calls: a node paused with
 * SIGSTOP (its own per-node timeout, the rest complete, the answer within the overall deadline),
 * a replica promoted with CLUSTER FAILOVER while calls keep coming (each answer complete and
 * correct, or a documented partial answer or error; NodeIds and roles follow the new topology
 * once it settles), and a node killed while its reply is pending (ConnectFailed or Timeout; once
 * the cluster marks it failed, the next call skips it and the others are complete). Every node
 * that answers must list exactly its own sessions.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DEFAULT_COLLECT_DEADLINE_MS } from '../../src/core/collect/collect-sessions.ts'
import { openNamedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { readDocumentedCodes } from '../sdk/error-coverage.ts'
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
  type ApiAnswer,
  type LiveServer,
  type WireNode,
} from './support/live-api.ts'
import {
  establishedTo,
  expectedClusterNodes,
  type ExpectedNode,
} from './support/topology-expect.ts'

const ID = 'r-rel-cluster'
/** REDIS_SESSIONS_NODE_TIMEOUT_MS of the server under test: one node's connect+auth budget. */
const NODE_TIMEOUT_MS = 3000
/** Per-node error codes of docs/api.md (`Nodes[].Error.Code`) a fault may produce. */
const NODE_ERROR_CODES = ['ConnectFailed', 'Timeout', 'NodeUnavailable', 'ReplyError']

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
    live = await startLiveServer({
      env: { REDIS_SESSIONS_NODE_TIMEOUT_MS: String(NODE_TIMEOUT_MS) },
    })
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

  /**
   * Each `ok` node lists exactly the named sessions opened on it, and nothing of the others, and
   * its `Total` counts what is listed under its NodeId: a complete answer of that node.
   */
  function assertOwnSessions(data: Readonly<Record<string, unknown>>, nodes: WireNode[]): void {
    const listed = sessionNames(data)
    for (const node of nodes.filter((n) => n.Status === 'ok')) {
      const all = listed.filter(([nodeId]) => nodeId === node.NodeId).length
      assert.equal(node.Total, all, `Total of ${node.NodeId}`)
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

  void it('a node paused with SIGSTOP: its own timeout, every other node complete, in time', async () => {
    const expected = await expectedClusterNodes(ID, need(c().masters[0], 'seed'))
    // A replica: pausing a master past the cluster's node timeout would start a failover.
    const paused = need(
      expected.find((e) => e.role === 'replica'),
      'a replica'
    )
    const target = byPort(paused.port)
    target.pause()
    let answer: Awaited<ReturnType<typeof getSessions>>
    const started = performance.now()
    let elapsedMs: number
    try {
      answer = await getSessions()
      elapsedMs = performance.now() - started
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
    // Its own per-node budget ran out (the kernel accepted the connection, nobody answered),
    // not the collection's overall deadline.
    assert.equal(failed.Error?.Code, 'Timeout', JSON.stringify(failed))
    assert.match(
      failed.Error?.Message ?? '',
      new RegExp(`^127\\.0\\.0\\.1:${paused.port}: .*took longer than ${NODE_TIMEOUT_MS} ms`)
    )
    assert.doesNotMatch(failed.Error?.Message ?? '', /collection deadline/)
    assert.equal(failed.Total, 0)
    assertOwnSessions(data, nodes)
    assert.ok(!answer.text.includes(`"NodeId":"${paused.nodeId}","Age"`), 'no session of it')
    // The design bound, not a performance target: a paused node cannot hold the answer past the
    // collection's overall deadline.
    assert.ok(
      elapsedMs < DEFAULT_COLLECT_DEADLINE_MS,
      `answered after ${Math.round(elapsedMs)} ms, past the ${DEFAULT_COLLECT_DEADLINE_MS} ms deadline`
    )
  })

  /**
   * One answer while the topology may be changing: a JSON error with a documented code and
   * status, or 200 where every node is one of the cluster's six, named as contract §2 says for
   * the role it reports, `ok` with exactly its own sessions or `error` with a per-node code, and
   * `Complete` true exactly when every node is ok.
   */
  function assertConsistent(answer: ApiAnswer, documented: ReadonlyMap<string, number>): string {
    if (answer.status !== 200) {
      const code = String(answer.json['Code'])
      assert.equal(documented.get(code), answer.status, `undocumented ${answer.text.slice(0, 300)}`)
      return code
    }
    const data = dataOf(answer)
    const nodes = nodesOf(data)
    const ports = nodes.map((n) => Number(n.Address.slice(n.Address.lastIndexOf(':') + 1)))
    assert.deepEqual(
      [...ports].sort((a, b) => a - b),
      c()
        .nodes.map((n) => n.port)
        .sort((a, b) => a - b),
      'the six nodes, each once'
    )
    nodes.forEach((node, i) => {
      const port = ports[i] ?? 0
      const name =
        node.Role === 'master'
          ? `${ID}-db-${node.Shard}#${port}`
          : new RegExp(`^${ID}-db-${node.Shard}-replica-\\d+#${port}$`)
      if (typeof name === 'string') assert.equal(node.NodeId, name)
      else assert.match(node.NodeId, name)
      if (node.Status === 'error') {
        assert.ok(NODE_ERROR_CODES.includes(node.Error?.Code ?? ''), JSON.stringify(node))
      } else {
        assert.equal(node.Status, 'ok', JSON.stringify(node))
      }
    })
    assert.equal(
      data['Complete'],
      nodes.every((n) => n.Status === 'ok')
    )
    assertOwnSessions(data, nodes)
    return data['Complete'] === true ? 'complete' : 'partial'
  }

  void it('CLUSTER FAILOVER while calls run: every answer consistent; then the new roles', async () => {
    const documented = new Map((await readDocumentedCodes()).map((d) => [d.code, d.httpStatus]))
    const seed = need(c().masters[0], 'seed')
    const before = await expectedClusterNodes(ID, seed)
    const replica = need(
      before.find((e) => e.role === 'replica'),
      'a replica'
    )
    const oldMaster = need(
      before.find((e) => e.role === 'master' && e.shard === replica.shard),
      'its master'
    )
    // Calls back to back on two connections, from before the failover until after it settled.
    const calls: Array<{ answer: ApiAnswer; started: number; ended: number }> = []
    let running = true
    const caller = async () => {
      while (running) {
        const started = performance.now()
        const answer = await getSessions()
        calls.push({ answer, started, ended: performance.now() })
      }
    }
    const callers = [caller(), caller()]
    let failoverAt = 0
    let settledAt = 0
    try {
      await waitFor(async () => Promise.resolve(calls.length >= 2), {
        what: 'calls before the failover',
        timeoutMs: 30_000,
        intervalMs: 10,
      })
      failoverAt = performance.now()
      await byPort(replica.port).cli('CLUSTER', 'FAILOVER')
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
      settledAt = performance.now()
      const settledCalls = calls.length
      await waitFor(async () => Promise.resolve(calls.length >= settledCalls + 2), {
        what: 'calls after the failover',
        timeoutMs: 30_000,
        intervalMs: 10,
      })
    } finally {
      running = false
      await Promise.all(callers)
    }
    const overlapping = calls.filter((call) => call.started < settledAt && call.ended > failoverAt)
    assert.ok(overlapping.length >= 1, 'at least one call ran while the failover ran')
    const outcomes = new Map<string, number>()
    for (const { answer } of calls) {
      let outcome = assertConsistent(answer, documented)
      if (answer.status === 200) {
        // Which side of the failover this answer saw: the role it gives the promoted node.
        const role = nodesOf(dataOf(answer)).find((n) => n.Address.endsWith(`:${replica.port}`))
        outcome += role?.Role === 'master' ? ' (promoted)' : ' (before)'
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    }
    process.stdout.write(
      `# cluster failover: ${calls.length} calls, ${overlapping.length} during the failover; ` +
        `${[...outcomes].map(([k, n]) => `${k}=${n}`).join(' ')}\n`
    )

    // Settled: the next call names the promoted node master and the old master its replica.
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

  void it('a node killed while its reply is pending: ConnectFailed or Timeout; then skipped', async () => {
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

    // Once the cluster has marked it failed, the next call's discovery lists it as such: not
    // asked (NodeUnavailable, with the reason), every other node complete with its sessions.
    await waitFor(
      async () => {
        const shards = await clusterShards(seed)
        const node = shards.flatMap((s) => s.nodes).find((n) => n.port === victim.port)
        return node?.health === 'fail' || node?.health === 'failed'
      },
      { what: `the cluster to mark ${victim.port} failed`, timeoutMs: 60_000 }
    )
    const rediscovered = await expectedClusterNodes(ID, seed)
    const next = dataOf(await getSessions())
    const nextNodes = nodesOf(next)
    assertNodes(nextNodes, rediscovered, [victim.port])
    const skipped = need(
      nextNodes.find((n) => n.Address === `127.0.0.1:${victim.port}`),
      'the killed node, rediscovered'
    )
    assert.equal(skipped.Error?.Code, 'NodeUnavailable', JSON.stringify(skipped))
    assert.match(skipped.Error?.Message ?? '', /the cluster reports the node as failed/)
    assert.equal(next['Complete'], false)
    assertOwnSessions(next, nextNodes)
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
