import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import { testLogger } from '../support/test-logs.ts'
import { createHistorySampler } from '../../src/service/history-sampler.ts'
import { openClient } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type JsonObject,
} from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-insights'
const MIN = 60_000

/** `data[name]`, asserted to be an object. */
function objectAt(data: JsonObject, name: string): JsonObject {
  const value = data[name]
  assert.ok(isJsonObject(value), `${name} is an object: ${JSON.stringify(value)}`)
  return value
}

void describe('DescribeRedisSessionInsights on a live redis-server', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  const clients: Redis[] = []
  let subscriber: Socket | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const srv = (): RedisServerHandle => server ?? assert.fail('no server')
  const open = async (name: string | undefined) => {
    const client = await openClient(srv(), name)
    clients.push(client)
    return client
  }
  const insights = async (params: Record<string, string> = {}): Promise<JsonObject> => {
    const response = await signedInject(t().app, {
      action: 'DescribeRedisSessionInsights',
      params: { InstanceId: INSTANCE, ...params },
      ...t().admin,
    })
    const data = dataOf(response)
    assert.ok(isJsonObject(data))
    return data
  }

  before(async () => {
    server = await startRedisServer()
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${server.port}`],
    })
  })
  after(async () => {
    subscriber?.destroy()
    for (const client of clients) client.disconnect()
    await test?.close()
    await server?.stop()
  })

  void it('flags the source that grew at each of the last 5 samples', async () => {
    const sampler = createHistorySampler({
      store: t().store,
      sessions: t().services.sessions,
      logger: testLogger('insights'),
      intervalSeconds: 60,
    })
    const t0 = Date.now() - 10 * MIN
    for (let i = 0; i < 6; i++) {
      await open(`leak-${i}`)
      await sampler.sampleOnce(t0 + i * MIN)
    }
    const data = await insights()
    assert.equal(data['LeakSamples'], 5)
    const suspects = data['LeakSuspects']
    assert.ok(Array.isArray(suspects) && suspects.length === 1, JSON.stringify(suspects))
    const suspect: unknown = suspects[0]
    assert.ok(isJsonObject(suspect) && Array.isArray(suspect['Series']))
    assert.equal(suspect['Key'], '127.0.0.1')
    assert.equal(suspect['Growth'], 5)
    assert.deepEqual(
      suspect['Series'].map((p: unknown) => (isJsonObject(p) ? p['Timestamp'] : p)),
      [0, 1, 2, 3, 4, 5].map((i) => t0 + i * MIN)
    )
    const quieter = await insights({ LeakSamples: '6' })
    assert.deepEqual(quieter['LeakSuspects'], [], 'six steps need seven samples')
  })

  void it('reports blocked, unnamed, idle sessions and libraries from one collection', async () => {
    await open(undefined)
    await open(undefined)
    const blocked = await open('blocked-1')
    void blocked.blpop('insights:never', 0).catch(() => undefined)
    await waitFor(async () => objectAt(await insights(), 'Blocked')['Count'] === 1, {
      what: 'the BLPOP client to be listed as blocked',
      timeoutMs: 5000,
    })
    const data = await insights({ IdleThresholdSeconds: '0' })
    const total = Number(data['Total'])
    assert.equal(total, 6 + 3, 'six leak-* clients, two unnamed, one blocked')
    const blockedList = data['Blocked']
    assert.ok(isJsonObject(blockedList) && Array.isArray(blockedList['Sessions']))
    const entry: unknown = blockedList['Sessions'][0]
    assert.ok(isJsonObject(entry))
    assert.deepEqual(
      [entry['Name'], entry['Cmd'], entry['Client']],
      ['blocked-1', 'blpop', '127.0.0.1']
    )
    assert.deepEqual(data['Unnamed'], {
      Count: 2,
      TopSources: [{ Key: '127.0.0.1', Count: 2, ClientDesc: '' }],
    })
    // Threshold 0: every session that is not waiting by design (the blocked one) is idle.
    const idle = data['IdleSessions']
    assert.ok(isJsonObject(idle))
    assert.deepEqual([idle['ThresholdSeconds'], idle['Count']], [0, total - 1])
    const byDefault = (await insights())['IdleSessions']
    assert.ok(isJsonObject(byDefault))
    assert.deepEqual([byDefault['ThresholdSeconds'], byDefault['Count']], [3600, 0])
    // Redis 7.0 has no lib-name: every session is `unknown`.
    assert.deepEqual(data['ByLibrary'], [{ Key: 'unknown', Count: total }])
  })

  void it('lists a subscriber that stopped reading as a large output buffer', async () => {
    const socket = connect(srv().port, '127.0.0.1')
    subscriber = socket
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.write('SUBSCRIBE insights:big\r\n')
      socket.once('data', () => resolve())
    })
    // Stop reading: what the server sends now piles up in its output buffer.
    socket.pause()
    const publisher = await open('publisher')
    const payload = 'x'.repeat(1024 * 1024)
    for (let i = 0; i < 16; i++) await publisher.publish('insights:big', payload)
    await waitFor(
      async () => Number(objectAt(await insights(), 'LargeOutputBuffers')['Count']) === 1,
      { what: 'the stalled subscriber to hold more than 1 MiB of output', timeoutMs: 5000 }
    )
    const large = (await insights())['LargeOutputBuffers']
    assert.ok(isJsonObject(large) && Array.isArray(large['Sessions']))
    const session: unknown = large['Sessions'][0]
    assert.ok(isJsonObject(session))
    assert.equal(large['ThresholdBytes'], 1024 * 1024)
    assert.equal(session['Cmd'], 'subscribe')
    assert.ok(Number(session['Omem']) > 1024 * 1024, `omem ${String(session['Omem'])}`)
  })

  void it('refuses bad thresholds and unknown instances', async () => {
    const call = (params: Record<string, string>) =>
      signedInject(t().app, { action: 'DescribeRedisSessionInsights', params, ...t().admin })
    const bad = await call({ InstanceId: INSTANCE, LeakSamples: '0' })
    assert.match(
      assertApiError(bad, 'InvalidParams', 400),
      /LeakSamples must be an integer from 1 to 100/
    )
    const negative = await call({ InstanceId: INSTANCE, IdleThresholdSeconds: '-1' })
    assertApiError(negative, 'InvalidParams', 400)
    assertApiError(await call({ InstanceId: 'r-nowhere' }), 'InvalidInstanceId.NotFound', 404)
  })
})
