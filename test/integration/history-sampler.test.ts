import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { createHistorySampler, type HistorySampler } from '../../src/service/history-sampler.ts'
import { dataOf, isJsonObject, signedInject } from '../api/support/signed-inject.ts'
import { createTestApp, type TestApp } from '../api/support/test-app.ts'
import { openClient, openVerifier } from '../cli/live-sessions.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { testLogger } from '../support/test-logs.ts'
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

  void it('REDIS_SESSIONS_HISTORY_INTERVAL_S=0 switches it off: a server writes no point', async () => {
    // Two servers on the same Redis, one sampling every second, one with the sampler off: by
    // the time the first has written two samples, the second has had as long to write one.
    const port = server?.port ?? assert.fail('no redis')
    const dirs = await Promise.all([makeTempDir('rs-hist-off-'), makeTempDir('rs-hist-on-')])
    const started: Awaited<ReturnType<typeof startServer>>[] = []
    try {
      for (const [i, interval] of ['0', '1'].entries()) {
        const env = {
          REDIS_SESSIONS_HISTORY_INTERVAL_S: interval,
          REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: `LTAIhistorySwitch000${i}`,
          REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: 'history-switch-secret-0123456789',
          REDIS_SESSIONS_ADMIN_PASSWORD: 'history-switch-admin-password',
        }
        const dataDir = dirs[i] ?? assert.fail('no data dir')
        const config = loadConfig(env, { host: '127.0.0.1', port: 0, dataDir })
        const running = await startServer(config, testLogger(`history-switch-${interval}`))
        started.push(running)
        await running.store.instances.add({
          instanceId: INSTANCE,
          topology: 'standalone',
          endpoints: [`127.0.0.1:${port}`],
        })
      }
      const [off, on] = started
      assert.ok(off !== undefined && on !== undefined)
      const points = async (store: typeof on.store) =>
        (
          await store.history.query({
            instanceId: INSTANCE,
            from: 0,
            to: Number.MAX_SAFE_INTEGER,
            groupBy: 'total',
          })
        ).length
      await waitFor(async () => (await points(on.store)) >= 2, {
        what: 'two samples of the server whose sampler is on',
        timeoutMs: 10_000,
      })
      assert.equal(await points(off.store), 0, 'the server with the sampler off wrote none')
    } finally {
      await Promise.all(started.map((running) => running.close()))
      await Promise.all(dirs.map((dir) => removeTempDir(dir)))
    }
  })
})
