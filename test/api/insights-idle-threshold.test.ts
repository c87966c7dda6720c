import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import { testLogger } from '../support/test-logs.ts'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { openClient } from '../cli/live-sessions.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { isJsonObject, type JsonObject } from './support/signed-inject.ts'

const ADMIN = { accessKeyId: 'idleThresholdAdmin', accessKeySecret: 'idleThresholdAdminSecret' }
const INSTANCE = 'r-idle-threshold'

/**
 * One setting, one meaning: `REDIS_SESSIONS_IDLE_THRESHOLD_S` (the metrics' idle threshold) is
 * also what DescribeRedisSessionInsights uses when `IdleThresholdSeconds` is absent. Through
 * `startServer` and `loadConfig`, as `redis-sessions serve` runs.
 */
void describe('DescribeRedisSessionInsights idle threshold from the server config', () => {
  let redis: RedisServerHandle | undefined
  let server: RunningServer | undefined
  let dataDir: string | undefined
  let client: Redis | undefined

  /** `Data.IdleSessions` of one signed call over HTTP. */
  const idleSessions = async (params: Record<string, string>): Promise<JsonObject> => {
    const request = buildSignedRequest({
      endpoint: server?.url ?? assert.fail('no server'),
      scheme: 'V1',
      action: 'DescribeRedisSessionInsights',
      params: { InstanceId: INSTANCE, ...params },
      ...ADMIN,
    })
    const response = await fetch(request.url, { method: request.method, headers: request.headers })
    const body: unknown = await response.json()
    assert.equal(response.status, 200, JSON.stringify(body))
    assert.ok(isJsonObject(body) && isJsonObject(body['Data']))
    const idle = body['Data']['IdleSessions']
    assert.ok(isJsonObject(idle))
    return idle
  }

  before(async () => {
    redis = await startRedisServer()
    dataDir = await makeTempDir('rs-idle-threshold-')
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'idle-threshold-admin-password',
      REDIS_SESSIONS_MASTER_KEY: randomBytes(32).toString('hex'),
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
      REDIS_SESSIONS_RESULT_CACHE_MS: '0',
      // 0 is far from the 3600 default: every session that is not blocked counts as idle.
      REDIS_SESSIONS_IDLE_THRESHOLD_S: '0',
    }
    server = await startServer(loadConfig(env, { port: 0, dataDir }), testLogger('insights-idle'))
    await server.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
    client = await openClient(redis, 'idle-one')
  })
  after(async () => {
    client?.disconnect()
    await server?.close()
    await redis?.stop()
    if (dataDir !== undefined) await removeTempDir(dataDir)
  })

  it('defaults IdleThresholdSeconds to REDIS_SESSIONS_IDLE_THRESHOLD_S', async () => {
    const byDefault = await idleSessions({})
    assert.equal(byDefault['ThresholdSeconds'], 0)
    // The client opened above, idle a few seconds at most, is idle at a threshold of 0.
    assert.ok(Number(byDefault['Count']) >= 1, JSON.stringify(byDefault))
  })

  it('still takes the parameter over the setting', async () => {
    const given = await idleSessions({ IdleThresholdSeconds: '3600' })
    assert.deepEqual([given['ThresholdSeconds'], given['Count']], [3600, 0])
  })
})
