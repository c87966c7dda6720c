import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseKillParams } from '../../src/api/actions/kill-redis-sessions/kill-params.ts'
import { killSelection } from '../../src/api/actions/kill-redis-sessions/run-kill-redis-sessions.ts'
import { collectDeployment } from '../../src/core/collect/collect-deployment.ts'
import { openNamedSessions, parseListedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-kill-fail'

// A node that stops answering between the listing and the kill, or before the listing.
void describe('KillRedisSessions when a node fails: master + 1 replica', () => {
  let group: Replication | undefined
  let test: TestApp | undefined
  const opened: NamedSessions[] = []
  const t = (): TestApp => test ?? assert.fail('no app')
  const master = (): RedisServerHandle => group?.master ?? assert.fail('no master')
  const replica = (): RedisServerHandle => group?.replicas[0] ?? assert.fail('no replica')
  const replicaNode = () => `${INSTANCE}-db-0-replica-0#${replica().port}`
  const masterNode = () => `${INSTANCE}-db-0#${master().port}`

  before(async () => {
    group = await startReplication({ replicas: 1 })
    test = await createTestApp({ nodeTimeoutMs: 500 })
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${master().port}`],
    })
    opened.push(await openNamedSessions(master(), { count: 2, prefix: 'late-m' }))
    opened.push(await openNamedSessions(replica(), { count: 2, prefix: 'late-r' }))
  })
  after(async () => {
    await Promise.all(opened.map((sessions) => sessions.close()))
    await test?.close()
    await group?.stop()
  })

  void it('reports failed, with the cause, requested sessions of a node that does not answer', async () => {
    const listed = parseListedSessions(await replica().cli('CLIENT', 'LIST'))
    const id = listed.find((s) => s.name === 'late-r-0')?.id ?? assert.fail('late-r-0')
    replica().pause()
    const response = await (async () => {
      try {
        return await signedInject(t().app, {
          action: 'KillRedisSessions',
          params: {
            InstanceId: INSTANCE,
            Sessions: JSON.stringify([{ NodeId: replicaNode(), Id: id }]),
          },
          ...t().admin,
        })
      } finally {
        replica().resume() // the test goes on only with the replica answering again
      }
    })()
    const data = dataOf(response)
    assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
    assert.equal(data['Killed'], 0)
    const sessions: unknown[] = data['Sessions']
    const [only, ...rest] = sessions
    assert.equal(rest.length, 0)
    assert.ok(isJsonObject(only))
    assert.deepEqual([only['NodeId'], only['Id'], only['Result']], [replicaNode(), id, 'failed'])
    assert.match(String(only['Reason']), /did not answer CLIENT LIST: .+/)
    const still = parseListedSessions(await replica().cli('CLIENT', 'LIST'))
    assert.ok(
      still.some((s) => s.id === id),
      'the session was not killed'
    )
  })

  void it('reports failed, with the cause, the sessions of a node that died after the listing', async () => {
    const spec = (await t().services.deploymentOf(INSTANCE)) ?? assert.fail('no spec')
    const snapshot = await collectDeployment(spec)
    replica().kill()
    const request = parseKillParams(
      new Map([
        ['InstanceId', INSTANCE],
        ['Name', 'late-*'],
      ])
    )
    const run = await killSelection(snapshot, request.selection, {
      connection: spec.connection,
      dryRun: false,
    })
    assert.deepEqual(
      run.results.map((r) => [r.nodeId, r.name, r.result]),
      [
        [masterNode(), 'late-m-0', 'killed'],
        [masterNode(), 'late-m-1', 'killed'],
        [replicaNode(), 'late-r-0', 'failed'],
        [replicaNode(), 'late-r-1', 'failed'],
      ]
    )
    for (const result of run.results.filter((r) => r.result === 'failed')) {
      assert.match(result.reason ?? '', /refused|closed|connect/i)
    }
  })
})
