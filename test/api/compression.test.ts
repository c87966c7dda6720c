import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/** Large GetRedisAllSession replies are compressed for clients that ask (issue #4), never for SDKs. */
describe('response compression', () => {
  let redis: RedisServerHandle | undefined
  let sessions: MixedSessions | undefined
  let api: TestApp | undefined
  before(async () => {
    redis = await startRedisServer()
    // ~200 sessions: a reply well above the 64 KiB compression threshold.
    sessions = await openMixedSessions(redis, { count: 200, namePrefix: 'compress' })
    api = await createTestApp({ resultCacheMs: 60_000 })
    await api.store.instances.add({
      instanceId: 'r-compress',
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
  })
  after(async () => {
    await api?.close()
    await sessions?.close()
    await redis?.stop()
  })

  async function call(acceptEncoding: string | undefined) {
    assert.ok(api !== undefined)
    const signed = buildSignedRequest({
      endpoint: 'http://127.0.0.1',
      scheme: 'V3',
      action: 'GetRedisAllSession',
      params: { InstanceId: 'r-compress' },
      ...api.admin,
    })
    const headers: Record<string, string> = { ...signed.headers }
    if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding
    return api.app.inject({ method: 'POST', url: `/?${signed.query}`, headers })
  }

  void it('sends brotli or gzip to clients that accept it, the same JSON as uncompressed', async () => {
    // The result cache (60 s) makes the three answers describe one collection.
    const plain = await call(undefined)
    assert.equal(plain.statusCode, 200)
    assert.equal(plain.headers['content-encoding'], undefined)
    assert.ok(plain.body.length > 64 * 1024, `reply of ${plain.body.length} bytes`)
    const plainData: unknown = (JSON.parse(plain.body) as { Data: unknown }).Data

    const br = await call('gzip, deflate, br')
    assert.equal(br.headers['content-encoding'], 'br')
    assert.equal(br.headers['vary'], 'accept-encoding')
    const brBody = JSON.parse(brotliDecompressSync(br.rawPayload).toString()) as { Data: unknown }
    assert.deepEqual(brBody.Data, plainData)

    const gz = await call('gzip')
    assert.equal(gz.headers['content-encoding'], 'gzip')
    const gzBody = JSON.parse(gunzipSync(gz.rawPayload).toString()) as { Data: unknown }
    assert.deepEqual(gzBody.Data, plainData)
    assert.ok(gz.rawPayload.length < plain.body.length / 5)
  })
})
