import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import {
  openClient,
  openNamedSessions,
  parseListedSessions,
  type ListedSession,
  type NamedSessions,
} from '../cli/live-sessions.ts'
import { parseInfo } from '../support/redis-cli.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-kill-all'

const listed = async (server: RedisServerHandle): Promise<ListedSession[]> =>
  parseListedSessions(await server.cli('CLIENT', 'LIST'))
/** The sessions the test opened (named `all-*`). */
const ours = (sessions: ListedSession[]) => sessions.filter((s) => s.name.startsWith('all-'))

// KillInstanceAllSession on a master with one replica: every normal and pub/sub session goes, the
// replication links (S on the master, M on the replica) and the service's own connections stay.
// The caller (an HTTP client) has no Redis session of its own to spare.
void describe('KillInstanceAllSession, live: master + 1 replica', () => {
  let group: Replication | undefined
  let test: TestApp | undefined
  const opened: NamedSessions[] = []
  const extra: Redis[] = []
  const t = (): TestApp => test ?? assert.fail('no app')
  const master = (): RedisServerHandle => group?.master ?? assert.fail('no master')
  const replica = (): RedisServerHandle => group?.replicas[0] ?? assert.fail('no replica')

  before(async () => {
    group = await startReplication({ replicas: 1 })
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${master().port}`],
    })
    // 8 on the master (one of them SUBSCRIBEd), 5 on the replica (one SUBSCRIBEd), and a
    // PSUBSCRIBE client on the master: 14 sessions, 3 of them pub/sub.
    opened.push(await openNamedSessions(master(), { count: 8, prefix: 'all-m' }))
    opened.push(await openNamedSessions(replica(), { count: 5, prefix: 'all-r' }))
    const pattern = await openClient(master(), 'all-psub')
    await pattern.psubscribe('all:*')
    extra.push(pattern)
  })
  after(async () => {
    for (const client of extra) client.disconnect()
    await Promise.all(opened.map((sessions) => sessions.close()))
    await test?.close()
    await group?.stop()
  })

  void it('kills the 14 normal and pub/sub sessions, leaves the links and the service alone', async () => {
    const [onMaster, onReplica] = await Promise.all([listed(master()), listed(replica())])
    assert.equal(ours(onMaster).length + ours(onReplica).length, 14)
    assert.equal(ours(onMaster).filter((s) => s.flags.includes('P')).length, 2)
    const link = onMaster.find((s) => s.flags === 'S') ?? assert.fail('no replica link')
    const upstream = onReplica.find((s) => s.flags === 'M') ?? assert.fail('no master link')

    // A listing running at the same time: its connections (the service's) must survive the kill.
    const [killing, listing] = await Promise.all([
      signedInject(t().app, {
        action: 'KillInstanceAllSession',
        params: { InstanceId: INSTANCE },
        ...t().admin,
      }),
      signedInject(t().app, {
        action: 'GetRedisAllSession',
        params: { InstanceId: INSTANCE },
        ...t().admin,
      }),
    ])
    assert.equal(dataOf(killing), 'None')
    assert.equal(killing.json['Killed'], 14)
    assert.equal(killing.json['Failed'], 0)
    assert.equal(killing.json['Complete'], true)
    const listingData = dataOf(listing)
    assert.ok(isJsonObject(listingData) && listingData['Complete'] === true)

    const [afterMaster, afterReplica] = await Promise.all([listed(master()), listed(replica())])
    assert.deepEqual(ours(afterMaster), [])
    assert.deepEqual(ours(afterReplica), [])
    assert.equal(afterMaster.find((s) => s.flags === 'S')?.id, link.id, 'the same replica link')
    assert.equal(afterReplica.find((s) => s.flags === 'M')?.id, upstream.id, 'the same master link')
    const info = parseInfo(await replica().cli('INFO', 'replication'))
    assert.equal(info.get('master_link_status'), 'up')
  })

  void it('is in the audit log with its counts', async () => {
    const data = dataOf(
      await signedInject(t().app, {
        action: 'DescribeAuditLog',
        params: { ActionName: 'KillInstanceAllSession', InstanceId: INSTANCE },
        ...t().admin,
      })
    )
    assert.ok(isJsonObject(data) && Array.isArray(data['Events']))
    const events: unknown[] = data['Events']
    assert.equal(events.length, 1)
    const [event] = events
    assert.ok(isJsonObject(event))
    assert.equal(event['Result'], 'Success')
    assert.equal(event['AccessKeyId'], t().admin.accessKeyId)
    assert.deepEqual(event['Detail'], {
      killed: 14,
      gone: 0,
      protected: 2,
      failed: 0,
      complete: true,
    })
  })
})
