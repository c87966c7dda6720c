import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { clusterShards } from '../support/cluster-shards.ts'
import { freePort } from '../support/free-port.ts'
import { startCluster, type Cluster } from '../support/redis-cluster.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import {
  assertDasInvariants,
  identitiesListed,
  identitiesOf,
  parseDasData,
  type DasData,
} from './das-data.ts'
import {
  openNamedSessions,
  openVerifier,
  type NamedSessions,
  type Verifier,
} from './live-sessions.ts'
import { ensureCliBuilt, runCliOk } from './run-cli.ts'

/** A node as contract §2 names it for instance `cli`. */
interface ExpectedNode {
  nodeId: string
  port: number
  role: 'master' | 'replica'
  shard: number
}

/**
 * NodeIds from `CLUSTER SHARDS`, computed here independently of src/: shards numbered by lowest
 * slot (0-based), the master `cli-db-<shard>#<port>`, replicas `cli-db-<shard>-replica-<k>#<port>`
 * with k by address order; listed shard by shard, master first.
 */
async function expectedNodes(seed: RedisServerHandle): Promise<ExpectedNode[]> {
  const shards = (await clusterShards(seed))
    .filter((shard) => shard.slots.length > 0)
    .map((shard) => ({ ...shard, lowest: Math.min(...shard.slots.filter((_, i) => i % 2 === 0)) }))
    .sort((a, b) => a.lowest - b.lowest)
  return shards.flatMap((shard, index) => {
    const master = shard.nodes.find((n) => n.role === 'master')
    assert.ok(master !== undefined, 'a master per shard')
    const replicas = shard.nodes.filter((n) => n !== master).sort((a, b) => a.port - b.port)
    return [
      { nodeId: `cli-db-${index}#${master.port}`, port: master.port, role: 'master', shard: index },
      ...replicas.map((r, k) => ({
        nodeId: `cli-db-${index}-replica-${k}#${r.port}`,
        port: r.port,
        role: 'replica' as const,
        shard: index,
      })),
    ]
  })
}

// 3 masters + 3 replicas, ~33 sessions on each node (READONLY ones on the replicas).
void describe('redis-sessions sessions: cluster of 3 masters + 3 replicas, ~200 sessions', () => {
  let cluster: Cluster | undefined
  let expected: ExpectedNode[] = []
  let sessions: NamedSessions[] = []
  const verifiers = new Map<number, Verifier>()
  const c = (): Cluster => need(cluster, 'cluster')
  const byPort = (port: number): RedisServerHandle =>
    need(
      c().nodes.find((n) => n.port === port),
      `node ${port}`
    )

  /** Every node's sessions in `data` are exactly those its CLIENT LIST shows, minus the CLI's. */
  async function assertListsEveryNode(data: DasData): Promise<void> {
    assertDasInvariants(data)
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Address, n.Role, n.Shard, n.Status]),
      expected.map((e) => [e.nodeId, `127.0.0.1:${e.port}`, e.role, e.shard, 'ok'])
    )
    assert.equal(data.Complete, true)
    for (const node of expected) {
      const listed = await need(verifiers.get(node.port), 'verifier').list()
      assert.deepEqual(identitiesOf(data, node.nodeId), identitiesListed(listed), node.nodeId)
    }
    assert.ok(data.Total >= 200, `~200 sessions, got ${data.Total}`)
  }

  before(async () => {
    await ensureCliBuilt()
    cluster = await startCluster()
    expected = await expectedNodes(need(cluster.masters[0], 'a master'))
    sessions = await Promise.all(
      expected.map((node) =>
        openNamedSessions(byPort(node.port), {
          count: 33,
          prefix: `n${node.port}`,
          readonly: node.role === 'replica',
        })
      )
    )
    for (const node of expected) verifiers.set(node.port, await openVerifier(byPort(node.port)))
  })
  after(async () => {
    for (const verifier of verifiers.values()) verifier.close()
    await Promise.all(sessions.map((s) => s.close()))
    await cluster?.stop()
  })

  void it('--json from a master seed lists every node exactly, with contract NodeIds', async () => {
    const seed = need(c().masters[1], 'a master')
    const data = parseDasData(await runCliOk(['sessions', seed.url, '--json']))
    await assertListsEveryNode(data)
    const readonly = data.Sessions.filter((s) => s.Flags.includes('r'))
    assert.ok(readonly.length > 0, 'READONLY sessions on replicas (flag r)')
    assert.ok(readonly.every((s) => s.NodeId.includes('-replica-')))
  })

  void it('--cluster from a replica seed gives the same nodes and sessions', async () => {
    const seed = need(c().replicas[0], 'a replica')
    const data = parseDasData(await runCliOk(['sessions', seed.url, '--cluster', '--json']))
    await assertListsEveryNode(data)
  })

  void it('tries the next seed when the first one is down', async () => {
    const dead = await freePort()
    const seed = need(c().replicas[2], 'a replica')
    const url = `redis://127.0.0.1:${dead},127.0.0.1:${seed.port}`
    await assertListsEveryNode(parseDasData(await runCliOk(['sessions', url, '--json'])))
  })

  void it('--by node counts every node', async () => {
    const data = parseDasData(await runCliOk(['sessions', c().nodes[0]?.url ?? '', '--json']))
    const table = await runCliOk(['sessions', c().nodes[0]?.url ?? '', '--by', 'node'])
    const [head, ...rows] = table.trimEnd().split('\n')
    assert.match(head ?? '', /^NODE\s+TOTAL\s+ACTIVE$/)
    const counts = new Map(
      rows.map((row) => {
        const [key = '', total = ''] = row.split(/\s+/)
        return [key, Number(total)]
      })
    )
    assert.deepEqual(counts, new Map(data.Nodes.map((n) => [n.NodeId, n.Total])))
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
