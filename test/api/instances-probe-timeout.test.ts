import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { assertApiError, dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/** Far from the 3 s default, so a probe that ignored the setting would name another value. */
const NODE_TIMEOUT_MS = 250

void describe('registration probe and REDIS_SESSIONS_NODE_TIMEOUT_MS', () => {
  let test: TestApp | undefined
  let redis: RedisServerHandle | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const r = (): RedisServerHandle => redis ?? assert.fail('no server')
  const call = (action: string, params: Record<string, string>) =>
    signedInject(t().app, { action, params, ...t().admin })

  before(async () => {
    test = await createTestApp({ nodeTimeoutMs: NODE_TIMEOUT_MS })
    redis = await startRedisServer()
  })
  after(async () => {
    redis?.resume()
    await redis?.stop()
    await test?.close()
  })

  it('probes with the configured node timeout (AddRedisInstance, ModifyRedisInstance)', async () => {
    assert.equal(t().services.nodeTimeoutMs, NODE_TIMEOUT_MS)
    const endpoint = `127.0.0.1:${r().port}`
    dataOf(await call('AddRedisInstance', { InstanceId: 'r-probe', Endpoints: endpoint }))
    // SIGSTOP: connections are still accepted by the kernel, but nothing answers them.
    r().pause()
    try {
      const added = await call('AddRedisInstance', { InstanceId: 'r-paused', Endpoints: endpoint })
      const detail = assertApiError(added, 'InstanceConnectionFailed', 503)
      assert.match(detail, new RegExp(`\\b${NODE_TIMEOUT_MS} ms\\b`))
      const modified = await call('ModifyRedisInstance', {
        InstanceId: 'r-probe',
        Description: 'changed while paused',
      })
      assert.match(
        assertApiError(modified, 'InstanceConnectionFailed', 503),
        new RegExp(`\\b${NODE_TIMEOUT_MS} ms\\b`)
      )
    } finally {
      r().resume()
    }
  })
})
