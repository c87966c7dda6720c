import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openNamedSessions, parseListedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { freePort } from '../support/free-port.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { dataOf, isJsonObject, signedInject, type JsonObject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-kill-partial'

// A `nodes` instance of two endpoints: a live Redis and a port where nobody listens. A kill by
// filter cannot look at the second node's sessions and must say so, not answer "nothing matched".
void describe('KillRedisSessions / KillInstanceAllSession when a node cannot be listed', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  let closedPort = 0
  let opened: NamedSessions | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const s = (): RedisServerHandle => server ?? assert.fail('no server')
  const liveNode = () => `${INSTANCE}-proxy-0#${s().port}`
  const deadNode = () => `${INSTANCE}-proxy-1#${closedPort}`

  before(async () => {
    server = await startRedisServer()
    closedPort = await freePort()
    test = await createTestApp({ nodeTimeoutMs: 1000 })
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'nodes',
      endpoints: [`127.0.0.1:${s().port}`, `127.0.0.1:${closedPort}`],
    })
    opened = await openNamedSessions(s(), { count: 4, prefix: 'partial' })
  })
  after(async () => {
    await opened?.close()
    await test?.close()
    await server?.stop()
  })

  const call = async (action: string, params: Record<string, string>) =>
    signedInject(t().app, { action, params: { InstanceId: INSTANCE, ...params }, ...t().admin })

  /** `Nodes` as `[NodeId, Status, Error.Code]`, and the fields every node must carry. */
  const nodesOf = (nodes: unknown): [string, string, string][] => {
    assert.ok(Array.isArray(nodes))
    const list: unknown[] = nodes
    return list.map((node) => {
      assert.ok(isJsonObject(node))
      assert.equal(node['Address'], `127.0.0.1:${String(node['NodeId']).split('#')[1]}`)
      assert.equal(node['Role'], 'proxy')
      assert.equal(typeof node['Shard'], 'number')
      const error = node['Error']
      if (node['Status'] === 'ok') {
        assert.equal(error, undefined)
        return [String(node['NodeId']), 'ok', '']
      }
      assert.ok(isJsonObject(error) && typeof error['Message'] === 'string')
      assert.match(String(error['Message']), /connection refused/)
      return [String(node['NodeId']), String(node['Status']), String(error['Code'])]
    })
  }

  void it('a filter that matches nothing says Complete: false and which node failed', async () => {
    const data = dataOf(await call('KillRedisSessions', { Name: 'nobody-*' }))
    assert.ok(isJsonObject(data))
    assert.deepEqual([data['Killed'], data['Sessions'], data['Complete']], [0, [], false])
    assert.deepEqual(nodesOf(data['Nodes']), [
      [liveNode(), 'ok', ''],
      [deadNode(), 'error', 'ConnectFailed'],
    ])
  })

  void it('a dry run lists what the answering node has, still Complete: false', async () => {
    const data = dataOf(await call('KillRedisSessions', { Name: 'partial-*', DryRun: 'true' }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
    assert.equal(data['Sessions'].length, 4)
    assert.equal(data['Complete'], false)
  })

  void it('KillInstanceAllSession: Data "None", Killed, Failed, Complete: false and Nodes', async () => {
    const response = await call('KillInstanceAllSession', {})
    assert.equal(dataOf(response), 'None')
    const body: JsonObject = response.json
    assert.equal(body['Killed'], 4)
    assert.equal(body['Failed'], 0)
    assert.equal(body['Complete'], false)
    assert.deepEqual(nodesOf(body['Nodes']), [
      [liveNode(), 'ok', ''],
      [deadNode(), 'error', 'ConnectFailed'],
    ])
    const left = parseListedSessions(await s().cli('CLIENT', 'LIST'))
    assert.ok(!left.some((session) => session.name.startsWith('partial-')))
  })

  void it('audits the incomplete listing: unansweredNodes and complete', async () => {
    const data = dataOf(await call('DescribeAuditLog', { PageSize: '10' }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Events']))
    const events: unknown[] = data['Events']
    const details = events.map((event) => {
      assert.ok(isJsonObject(event) && isJsonObject(event['Detail']))
      return [event['Action'], event['Detail']]
    })
    const [all, dry, none] = details
    assert.deepEqual(all?.[0], 'KillInstanceAllSession')
    assert.ok(isJsonObject(all?.[1]) && all[1]['complete'] === false)
    for (const kill of [dry, none]) {
      assert.equal(kill?.[0], 'KillRedisSessions')
      assert.ok(isJsonObject(kill?.[1]) && kill[1]['unansweredNodes'] === 1)
    }
  })
})
