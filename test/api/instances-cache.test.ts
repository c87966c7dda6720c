import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { z } from 'zod'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const NODE_IDS = z.object({ Nodes: z.array(z.object({ NodeId: z.string() })) })

void describe('registry changes and the sessions cache', () => {
  let test: TestApp
  let first: RedisServerHandle
  let second: RedisServerHandle

  before(async () => {
    // A result cache far longer than the test: only an invalidation can refresh it.
    test = await createTestApp({ resultCacheMs: 600_000 })
    first = await startRedisServer()
    second = await startRedisServer()
  })
  after(async () => {
    await first?.stop()
    await second?.stop()
    await test?.close()
  })

  async function call(action: string, params: Record<string, string>): Promise<unknown> {
    return dataOf(await signedInject(test.app, { action, params, ...test.admin }))
  }
  async function nodeIds(instanceId: string): Promise<string[]> {
    const data = NODE_IDS.parse(await call('GetRedisAllSession', { InstanceId: instanceId }))
    return data.Nodes.map((node) => node.NodeId)
  }

  void it('lists the new endpoints right after ModifyRedisInstance', async () => {
    await call('AddRedisInstance', { InstanceId: 'r-moved', Endpoints: `127.0.0.1:${first.port}` })
    assert.deepEqual(await nodeIds('r-moved'), [`r-moved-db-0#${first.port}`])
    await call('ModifyRedisInstance', {
      InstanceId: 'r-moved',
      Endpoints: `127.0.0.1:${second.port}`,
    })
    assert.deepEqual(await nodeIds('r-moved'), [`r-moved-db-0#${second.port}`])
  })

  void it('forgets a deleted instance at once, and a re-added id uses its new endpoints', async () => {
    await call('DeleteRedisInstance', { InstanceId: 'r-moved' })
    const gone = await signedInject(test.app, {
      action: 'GetRedisAllSession',
      params: { InstanceId: 'r-moved' },
      ...test.admin,
    })
    assert.equal(gone.json['Code'], 'InvalidInstanceId.NotFound')
    await call('AddRedisInstance', { InstanceId: 'r-moved', Endpoints: `127.0.0.1:${first.port}` })
    assert.deepEqual(await nodeIds('r-moved'), [`r-moved-db-0#${first.port}`])
  })
})
