import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { DeploymentSpec } from '../../src/core/topology/topology.ts'
import { createInstanceSessions } from '../../src/service/instance-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { CONNECTION, tcp } from './topology-support.ts'

/**
 * `forget` (after a registry change) cuts off a collection already running with the old
 * settings: later callers start a new one, and the old one's result is never cached.
 */
void describe('InstanceSessions.forget', () => {
  let redis: RedisServerHandle

  before(async () => {
    redis = await startRedisServer()
  })
  after(async () => {
    await redis?.stop()
  })

  void it(
    'makes later callers start anew and keeps the older collection out of the cache',
    { timeout: 30_000 },
    async () => {
      const spec: DeploymentSpec = {
        instanceId: 'r-forget',
        kind: 'auto',
        endpoints: [tcp(redis)],
        connection: CONNECTION,
      }
      let resolves = 0
      let release = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const sessions = createInstanceSessions({
        // The first collection waits (its settings are about to change); later ones do not.
        resolve: async () => {
          resolves += 1
          if (resolves === 1) await gate
          return spec
        },
        resultCacheMs: 60_000,
      })
      const older = sessions.get('r-forget')
      sessions.forget('r-forget')
      const newer = await sessions.get('r-forget')
      assert.equal(resolves, 2, 'the call after forget started its own collection')
      release()
      const olderSnapshot = await older
      assert.notEqual(olderSnapshot, newer)
      assert.equal(await sessions.get('r-forget'), newer, 'the cache holds the newer listing')
      assert.equal(resolves, 2)
      assert.ok(
        (sessions.lastCollection('r-forget')?.time ?? 0) <= newer.timestamp,
        'the older listing is not noted as the last collection'
      )
    }
  )
})
