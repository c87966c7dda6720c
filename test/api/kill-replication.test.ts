import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openClient, openNamedSessions, parseListedSessions } from '../cli/live-sessions.ts'
import type { NamedSessions } from '../cli/live-sessions.ts'
import { parseInfo } from '../support/redis-cli.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

interface KillItem {
  NodeId: string
  Id: number
  Addr: string
  Name: string
  Result: string
  Reason?: string
}

/**
 * Checks `Data` is exactly `{Killed, Sessions:[{NodeId, Id, Addr, Name, Result, Reason?}],
 * Complete, Nodes}`, with every node listed (`Complete: true`, each node `ok`).
 */
function parseKillData(data: unknown): { Killed: number; Sessions: KillItem[] } {
  assert.ok(isJsonObject(data))
  assert.deepEqual(Object.keys(data).sort(), ['Complete', 'Killed', 'Nodes', 'Sessions'])
  const { Killed, Sessions, Complete, Nodes } = data
  assert.ok(typeof Killed === 'number' && Array.isArray(Sessions))
  assert.equal(Complete, true)
  assert.ok(Array.isArray(Nodes) && Nodes.length === 2)
  const nodes: unknown[] = Nodes
  assert.ok(nodes.every((node) => isJsonObject(node) && node['Status'] === 'ok'))
  const items = Sessions.map((item: unknown): KillItem => {
    assert.ok(isJsonObject(item))
    const { NodeId, Id, Addr, Name, Result, Reason } = item
    const keys = [
      'Addr',
      'Id',
      'Name',
      'NodeId',
      'Result',
      ...(Reason === undefined ? [] : ['Reason']),
    ]
    assert.deepEqual(Object.keys(item).sort(), keys.sort())
    assert.ok(typeof NodeId === 'string' && typeof Id === 'number' && typeof Addr === 'string')
    assert.ok(typeof Name === 'string' && typeof Result === 'string')
    assert.ok(Reason === undefined || typeof Reason === 'string')
    return { NodeId, Id, Addr, Name, Result, ...(Reason === undefined ? {} : { Reason }) }
  })
  return { Killed, Sessions: items }
}

const INSTANCE = 'r-kill'
const names = async (server: RedisServerHandle): Promise<string[]> =>
  parseListedSessions(await server.cli('CLIENT', 'LIST')).map((s) => s.name)
const linkUp = async (replica: RedisServerHandle): Promise<boolean> =>
  parseInfo(await replica.cli('INFO', 'replication')).get('master_link_status') === 'up'

// A master and one replica with `victim-*` and `keep-*` sessions opened on purpose on each.
void describe('KillRedisSessions: master + 1 replica', () => {
  let group: Replication | undefined
  let test: TestApp | undefined
  const opened: NamedSessions[] = []
  /** Every KillRedisSessions call for INSTANCE, as the audit log must show it. */
  const calls: { requestId: string; accessKeyId: string; result: string; dryRun: boolean }[] = []
  const t = (): TestApp => test ?? assert.fail('no app')
  const master = (): RedisServerHandle => group?.master ?? assert.fail('no master')
  const replica = (): RedisServerHandle => group?.replicas[0] ?? assert.fail('no replica')
  const node = { master: '', replica: '' }
  const kill = async (params: Record<string, string>) => {
    const response = await signedInject(t().app, {
      action: 'KillRedisSessions',
      params: { InstanceId: INSTANCE, ...params },
      ...t().admin,
    })
    const data = parseKillData(dataOf(response))
    const requestId = String(response.json['RequestId'])
    calls.push({
      requestId,
      accessKeyId: t().admin.accessKeyId,
      result: 'Success',
      dryRun: params['DryRun'] === 'true',
    })
    return data
  }

  before(async () => {
    group = await startReplication({ replicas: 1 })
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${master().port}`],
    })
    node.master = `${INSTANCE}-db-0#${master().port}`
    node.replica = `${INSTANCE}-db-0-replica-0#${replica().port}`
    for (const [server, prefix, count] of [
      [master(), 'victim-m', 6],
      [master(), 'keep-m', 4],
      [replica(), 'victim-r', 4],
      [replica(), 'keep-r', 3],
    ] as const) {
      opened.push(await openNamedSessions(server, { count, prefix }))
    }
  })
  after(async () => {
    await Promise.all(opened.map((sessions) => sessions.close()))
    await test?.close()
    await group?.stop()
  })

  void it('kills exactly what a dry run listed: victim-* gone, keep-* stay, replication up', async () => {
    const victims = (nodeId: string, prefix: string) =>
      [0, 1, 2, 3, 4, 5]
        .slice(0, prefix === 'victim-m' ? 6 : 4)
        .map((i) => `${nodeId} ${prefix}-${i}`)
    const expected = [...victims(node.master, 'victim-m'), ...victims(node.replica, 'victim-r')]
    const dry = await kill({ Name: 'victim-*', DryRun: 'true' })
    assert.equal(dry.Killed, 0)
    assert.deepEqual(dry.Sessions.map((s) => `${s.NodeId} ${s.Name}`).sort(), expected.sort())
    assert.ok(
      dry.Sessions.every((s) => s.Result === 'would-kill' && /^127\.0\.0\.1:\d+$/.test(s.Addr))
    )
    assert.equal((await names(master())).filter((n) => n.startsWith('victim-')).length, 6)

    const real = await kill({ Name: 'victim-*' })
    const ids = (list: KillItem[]) => list.map((s) => `${s.NodeId} ${s.Id}`)
    assert.deepEqual(ids(real.Sessions), ids(dry.Sessions))
    assert.ok(
      real.Sessions.every((s) => s.Result === 'killed'),
      JSON.stringify(real.Sessions)
    )
    assert.equal(real.Killed, expected.length)
    for (const [server, keep] of [
      [master(), 4],
      [replica(), 3],
    ] as const) {
      await waitFor(async () => !(await names(server)).some((n) => n.startsWith('victim-')), {
        what: `victim-* to leave ${server.port}`,
        timeoutMs: 5000,
      })
      assert.equal((await names(server)).filter((n) => n.startsWith('keep-')).length, keep)
    }
    assert.ok(await linkUp(replica()))
  })

  void it('reports replication links protected and never kills them (Flags=S, Flags=M)', async () => {
    const before = parseListedSessions(await master().cli('CLIENT', 'LIST')).find(
      (s) => s.flags === 'S'
    )
    const onMaster = await kill({ Flags: 'S' })
    assert.deepEqual(
      onMaster.Sessions.map((s) => [s.NodeId, s.Id, s.Result]),
      [[node.master, before?.id, 'protected']]
    )
    assert.match(onMaster.Sessions[0]?.Reason ?? '', /replication/)
    const onReplica = await kill({ Flags: 'M' })
    assert.deepEqual(
      onReplica.Sessions.map((s) => [s.NodeId, s.Result]),
      [[node.replica, 'protected']]
    )
    assert.equal(onMaster.Killed + onReplica.Killed, 0)
    const after = parseListedSessions(await master().cli('CLIENT', 'LIST')).find(
      (s) => s.flags === 'S'
    )
    assert.equal(after?.id, before?.id, 'the same replica connection')
    assert.ok(await linkUp(replica()))
  })

  void it('kills an explicit Sessions list; a vanished id and an unknown node are gone', async () => {
    const [a, b] = await Promise.all([
      openClient(master(), 'list-a'),
      openClient(master(), 'list-b'),
    ])
    const listed = parseListedSessions(await master().cli('CLIENT', 'LIST'))
    const idOf = (name: string) => listed.find((s) => s.name === name)?.id ?? assert.fail(name)
    const [idA, idB] = [idOf('list-a'), idOf('list-b')]
    b.disconnect()
    await waitFor(async () => !(await names(master())).includes('list-b'), {
      what: 'list-b to leave',
    })
    const sessions = [
      { NodeId: node.master, Id: idA },
      { NodeId: node.master, Id: idB },
      { NodeId: `${INSTANCE}-db-9#1`, Id: 1 },
    ]
    const data = await kill({ Sessions: JSON.stringify(sessions) })
    assert.deepEqual(
      data.Sessions.map((s) => [s.NodeId, s.Id, s.Name, s.Result]),
      [
        [node.master, idA, 'list-a', 'killed'],
        [node.master, idB, '', 'gone'],
        [`${INSTANCE}-db-9#1`, 1, '', 'gone'],
      ]
    )
    assert.match(data.Sessions[1]?.Reason ?? '', /absent from the CLIENT LIST/)
    assert.match(data.Sessions[2]?.Reason ?? '', /no node/)
    assert.equal(data.Killed, 1)
    await waitFor(async () => !(await names(master())).includes('list-a'), {
      what: 'list-a to leave',
    })
    a.disconnect()
  })

  void it('answers an empty result when the filter matches nothing', async () => {
    assert.deepEqual(await kill({ Name: 'nobody-*', Db: '0' }), { Killed: 0, Sessions: [] })
  })

  void it('answers NoPermission to a user allowed only hdm:GetRedisAllSession', async () => {
    const reader = await createUserWithPolicy(t().store, 'reader', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:GetRedisAllSession', Resource: '*' }],
    })
    const call = (action: string, params: Record<string, string>) =>
      signedInject(t().app, { action, params: { InstanceId: INSTANCE, ...params }, ...reader })
    dataOf(await call('GetRedisAllSession', {}))
    const denied = await call('KillRedisSessions', { Name: 'keep-*' })
    assertApiError(denied, 'NoPermission', 403)
    calls.push({
      requestId: String(denied.json['RequestId']),
      accessKeyId: reader.accessKeyId,
      result: 'NoPermission',
      dryRun: false,
    })
    assert.equal((await names(master())).filter((n) => n.startsWith('keep-')).length, 4)
  })

  void it('kills everything in a broad CIDR except the protected replication links', async () => {
    const data = await kill({ ClientIp: '127.0.0.0/8' })
    const protectedOnes = data.Sessions.filter((s) => s.Result === 'protected')
    assert.deepEqual(
      protectedOnes.map((s) => s.NodeId),
      [node.master, node.replica]
    )
    assert.ok(data.Sessions.every((s) => s.Result === 'killed' || s.Result === 'protected'))
    assert.equal(data.Killed, data.Sessions.length - 2)
    assert.ok(data.Sessions.some((s) => s.Name.startsWith('keep-')))
    await waitFor(async () => !(await names(master())).some((n) => n.startsWith('keep-')), {
      what: 'keep-* to leave the master',
    })
    assert.ok(await linkUp(replica()))
  })

  void it('records every call in DescribeAuditLog with user, AccessKeyId, source IP, result', async () => {
    const response = await signedInject(t().app, {
      action: 'DescribeAuditLog',
      params: { ActionName: 'KillRedisSessions', InstanceId: INSTANCE, PageSize: '100' },
      ...t().admin,
    })
    const data = dataOf(response)
    assert.ok(isJsonObject(data) && Array.isArray(data['Events']))
    assert.equal(data['Total'], calls.length)
    const events: unknown[] = data['Events']
    const seen = events.map((event) => {
      assert.ok(isJsonObject(event) && isJsonObject(event['Detail']))
      assert.equal(event['SourceIp'], '127.0.0.1')
      assert.equal(event['Action'], 'KillRedisSessions')
      assert.equal(event['InstanceId'], INSTANCE)
      const user = event['AccessKeyId'] === t().admin.accessKeyId ? 'admin' : 'reader'
      assert.equal(event['User'], user)
      const detail = event['Detail']
      if (event['Result'] === 'Success') assert.equal(typeof detail['killed'], 'number')
      return {
        requestId: String(event['RequestId']),
        accessKeyId: String(event['AccessKeyId']),
        result: String(event['Result']),
        dryRun: detail['dryRun'] === true,
      }
    })
    assert.deepEqual(seen, [...calls].reverse(), 'newest first, one event per call')
    assert.doesNotMatch(JSON.stringify(events), new RegExp(t().admin.accessKeySecret))
  })
})
