import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { createHistorySampler, type HistorySampler } from '../../src/service/history-sampler.ts'
import { dataOf, isJsonObject, signedInject } from '../api/support/signed-inject.ts'
import { createTestApp, type TestApp } from '../api/support/test-app.ts'
import { openClient, openVerifier } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'

const INSTANCE = 'r-history'
const DOWN = 'r-history-down'
const NAME = 'hist-worker'
const MIN = 60_000

void describe('history sampler on a live redis-server', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  let sampler: HistorySampler | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const s = (): HistorySampler => sampler ?? assert.fail('no sampler')
  // Sample times a few minutes back: recent enough to be shown at full resolution.
  const T0 = Math.floor(Date.now() / MIN) * MIN - 10 * MIN

  /** `[Timestamp, Count of Key]` of every point of the name series from T0 on. */
  const nameSeries = async (): Promise<[number, number][]> => {
    const response = await signedInject(t().app, {
      action: 'DescribeRedisSessionHistory',
      params: { InstanceId: INSTANCE, GroupBy: 'name', Key: NAME, StartTime: String(T0) },
      ...t().admin,
    })
    const data = dataOf(response)
    assert.ok(isJsonObject(data) && Array.isArray(data['Points']))
    return data['Points'].map((point: unknown): [number, number] => {
      assert.ok(isJsonObject(point) && Array.isArray(point['Groups']))
      assert.equal(point['Groups'].length, 1, 'one group when Key is given')
      const group: unknown = point['Groups'][0]
      assert.ok(isJsonObject(group) && group['Key'] === NAME)
      return [Number(point['Timestamp']), Number(group['Count'])]
    })
  }

  before(async () => {
    server = await startRedisServer()
    test = await createTestApp({ nodeTimeoutMs: 1000 })
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${server.port}`],
    })
    // Nothing listens on port 1: this instance fails every tick.
    await test.store.instances.add({
      instanceId: DOWN,
      topology: 'standalone',
      endpoints: ['127.0.0.1:1'],
    })
    sampler = createHistorySampler({
      store: test.store,
      sessions: test.services.sessions,
      logger: pino({ level: 'silent' }),
      intervalSeconds: 60,
    })
  })
  after(async () => {
    await sampler?.stop()
    await test?.close()
    await server?.stop()
  })

  void it('records 0 → 5 → 0 sessions of a name opened and closed between samples', async () => {
    const first = await s().sampleOnce(T0)
    assert.deepEqual(first.sampled, [INSTANCE])
    assert.deepEqual(
      first.failed.map((f) => f.instanceId),
      [DOWN],
      'the unreachable instance is skipped, the other one still sampled'
    )
    const clients: Redis[] = []
    try {
      for (let i = 0; i < 5; i++) clients.push(await openClient(server ?? assert.fail(), NAME))
      await s().sampleOnce(T0 + MIN)
    } finally {
      for (const client of clients) client.disconnect()
    }
    const verifier = await openVerifier(server ?? assert.fail())
    try {
      await waitFor(async () => (await verifier.list()).every((x) => x.name !== NAME), {
        what: `${NAME} sessions to close`,
        timeoutMs: 5000,
      })
    } finally {
      verifier.close()
    }
    await s().sampleOnce(T0 + 2 * MIN)
    assert.deepEqual(await nameSeries(), [
      [T0, 0],
      [T0 + MIN, 5],
      [T0 + 2 * MIN, 0],
    ])
  })

  void it('writes totals and the other groupings from the same collection', async () => {
    const points = await t().store.history.query({
      instanceId: INSTANCE,
      from: T0 + MIN,
      to: T0 + MIN,
      groupBy: 'total',
    })
    const sources = await t().store.history.query({
      instanceId: INSTANCE,
      from: T0 + MIN,
      to: T0 + MIN,
      groupBy: 'source',
    })
    const total = points[0]?.count ?? 0
    assert.ok(total >= 5, `total ${total} counts the five sessions`)
    assert.equal(
      sources.reduce((sum, p) => sum + p.count, 0),
      total,
      'the sources add up to the total'
    )
    for (const groupBy of ['node', 'user'] as const) {
      const rows = await t().store.history.query({
        instanceId: INSTANCE,
        from: T0 + MIN,
        to: T0 + MIN,
        groupBy,
      })
      assert.equal(
        rows.reduce((sum, p) => sum + p.count, 0),
        total,
        groupBy
      )
    }
  })

  void it('deletes points older than the retention', async () => {
    const old = { instanceId: INSTANCE, groupBy: 'total' as const, key: '', count: 1, active: 0 }
    const now = T0 + 3 * MIN
    await t().store.history.insertPoints([
      { ...old, time: now - 169 * 60 * MIN },
      { ...old, time: now - 167 * 60 * MIN },
    ])
    const report = await s().sampleOnce(now)
    assert.equal(report.deleted, 1)
    const left = await t().store.history.query({
      instanceId: INSTANCE,
      from: 0,
      to: now - 60 * MIN,
      groupBy: 'total',
    })
    assert.deepEqual(
      left.map((p) => p.time),
      [now - 167 * 60 * MIN]
    )
  })

  void it('does nothing when shouldSample says another replica samples', async () => {
    const follower = createHistorySampler({
      store: t().store,
      sessions: t().services.sessions,
      logger: pino({ level: 'silent' }),
      intervalSeconds: 60,
      shouldSample: () => Promise.resolve(false),
    })
    const report = await follower.sampleOnce(T0 + 4 * MIN)
    assert.equal(report.skipped, true)
    const written = await t().store.history.query({
      instanceId: INSTANCE,
      from: T0 + 4 * MIN,
      to: T0 + 4 * MIN,
      groupBy: 'total',
    })
    assert.deepEqual(written, [])
  })

  void it('ticks by itself once started and stops on stop()', async () => {
    const start = Date.now()
    const ticking = createHistorySampler({
      store: t().store,
      sessions: t().services.sessions,
      logger: pino({ level: 'silent' }),
      intervalSeconds: 1,
    })
    ticking.start()
    const samplesSince = async () =>
      (
        await t().store.history.query({
          instanceId: INSTANCE,
          from: start,
          to: Number.MAX_SAFE_INTEGER,
          groupBy: 'total',
        })
      ).length
    try {
      await waitFor(async () => (await samplesSince()) >= 2, {
        what: 'two ticks',
        timeoutMs: 10_000,
      })
    } finally {
      await ticking.stop()
    }
    const stopped = await samplesSince()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(await samplesSince(), stopped, 'no tick after stop()')
  })
})
