import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openNamedSessions, parseListedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { parseInfo } from '../support/redis-cli.ts'
import { startCluster, type Cluster } from '../support/redis-cluster.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-kill-cluster'

/** `Data.Sessions` of KillRedisSessions as [NodeId, Name, Result] triples, and `Killed`. */
function resultsOf(data: unknown): { killed: number; rows: [string, string, string][] } {
  assert.ok(isJsonObject(data) && typeof data['Killed'] === 'number')
  const sessions = data['Sessions']
  assert.ok(Array.isArray(sessions))
  const rows = sessions.map((item: unknown): [string, string, string] => {
    assert.ok(isJsonObject(item))
    const { NodeId, Name, Result } = item
    assert.ok(typeof NodeId === 'string' && typeof Name === 'string' && typeof Result === 'string')
    return [NodeId, Name, Result]
  })
  return { killed: data['Killed'], rows }
}

const names = async (server: RedisServerHandle): Promise<string[]> =>
  parseListedSessions(await server.cli('CLIENT', 'LIST')).map((s) => s.name)

async function assertClusterOk(cluster: Cluster): Promise<void> {
  for (const node of cluster.nodes) {
    const info = parseInfo(await node.cli('CLUSTER', 'INFO'))
    assert.equal(info.get('cluster_state'), 'ok', `cluster_state of ${node.port}`)
  }
  for (const replica of cluster.replicas) {
    const info = parseInfo(await replica.cli('INFO', 'replication'))
    assert.equal(info.get('master_link_status'), 'up', `replication link of ${replica.port}`)
  }
}

// 3 masters + 3 replicas, `victim-*` and `keep-*` sessions on every node.
void describe('KillRedisSessions: cluster of 3 masters + 3 replicas', () => {
  let cluster: Cluster | undefined
  let test: TestApp | undefined
  const opened: NamedSessions[] = []
  const c = (): Cluster => cluster ?? assert.fail('no cluster')
  const kill = async (params: Record<string, string>) => {
    const app = test ?? assert.fail('no app')
    const response = await signedInject(app.app, {
      action: 'KillRedisSessions',
      params: { InstanceId: INSTANCE, ...params },
      ...app.admin,
    })
    return resultsOf(dataOf(response))
  }

  before(async () => {
    cluster = await startCluster()
    test = await createTestApp()
    const seed = c().nodes[0] ?? assert.fail('no node')
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'cluster',
      endpoints: [`127.0.0.1:${seed.port}`],
    })
    for (const node of c().nodes) {
      opened.push(await openNamedSessions(node, { count: 2, prefix: `victim-${node.port}` }))
      opened.push(await openNamedSessions(node, { count: 2, prefix: `keep-${node.port}` }))
    }
  })
  after(async () => {
    await Promise.all(opened.map((sessions) => sessions.close()))
    await test?.close()
    await cluster?.stop()
  })

  void it('kills the victim-* of every node by filter and keeps cluster_state:ok', async () => {
    const expected = c()
      .nodes.flatMap((node) => [`victim-${node.port}-0`, `victim-${node.port}-1`])
      .sort()
    const dry = await kill({ Name: 'victim-*', DryRun: 'true' })
    assert.deepEqual(dry.rows.map(([, name]) => name).sort(), expected)
    assert.equal(new Set(dry.rows.map(([nodeId]) => nodeId)).size, 6, 'every node asked')
    assert.ok(dry.rows.every(([, , result]) => result === 'would-kill'))

    const real = await kill({ Name: 'victim-*' })
    assert.deepEqual(
      real.rows.map(([nodeId, name]) => [nodeId, name]),
      dry.rows.map(([nodeId, name]) => [nodeId, name])
    )
    assert.ok(
      real.rows.every(([, , result]) => result === 'killed'),
      JSON.stringify(real.rows)
    )
    assert.equal(real.killed, expected.length)
    for (const node of c().nodes) {
      await waitFor(async () => !(await names(node)).some((n) => n.startsWith('victim-')), {
        what: `victim-* to leave ${node.port}`,
        timeoutMs: 5000,
      })
      const kept = (await names(node)).filter((n) => n.startsWith('keep-'))
      assert.deepEqual(kept.sort(), [`keep-${node.port}-0`, `keep-${node.port}-1`])
    }
    await assertClusterOk(c())
  })

  void it('a broad CIDR kill spares the 6 replication links and the cluster stays ok', async () => {
    const data = await kill({ ClientIp: '127.0.0.1' })
    const protectedRows = data.rows.filter(([, , result]) => result === 'protected')
    assert.equal(protectedRows.length, 6, JSON.stringify(protectedRows))
    assert.equal(new Set(protectedRows.map(([nodeId]) => nodeId)).size, 6, 'one link per node')
    assert.ok(data.rows.every(([, , result]) => result === 'killed' || result === 'protected'))
    assert.equal(data.killed, data.rows.length - 6)
    for (const node of c().nodes) {
      await waitFor(async () => !(await names(node)).some((n) => n.startsWith('keep-')), {
        what: `keep-* to leave ${node.port}`,
        timeoutMs: 5000,
      })
    }
    await assertClusterOk(c())
  })
})
