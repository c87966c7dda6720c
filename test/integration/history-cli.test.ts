import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testLogger } from '../support/test-logs.ts'
import { renderHistoryChart } from '../../src/cli/commands/history.ts'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import type { HistoryPoint } from '../../src/store/store.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from '../cli/run-cli.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'

const INSTANCE = 'r-hist-cli'
const KEY = { id: 'LTAIhistoryCliTest01', secret: 'history-cli-test-secret-0123456789' }
const MIN = 60_000

/** Five samples a minute apart ending a minute ago: `web` goes 0 1 5 2 0, `(unnamed)` stays 3. */
function samples(now: number): HistoryPoint[] {
  const web = [0, 1, 5, 2, 0]
  return web.flatMap((count, i) => {
    const time = now - (5 - i) * MIN
    const p = { instanceId: INSTANCE, time, active: 0 }
    return [
      { ...p, groupBy: 'total' as const, key: '', count: count + 3 },
      { ...p, groupBy: 'name' as const, key: '', count: 3 },
      ...(count === 0 ? [] : [{ ...p, groupBy: 'name' as const, key: 'web', count }]),
    ]
  })
}

void describe('redis-sessions history', () => {
  let redis: RedisServerHandle | undefined
  let server: RunningServer | undefined
  let dataDir = ''
  let serverDir = ''
  const local = (...args: string[]) => ['history', ...args, '--data-dir', dataDir]

  before(async () => {
    await ensureCliBuilt()
    redis = await startRedisServer()
    ;[dataDir, serverDir] = await Promise.all([makeTempDir('rs-hist-cli-'), makeTempDir('rs-srv-')])
    const instance = {
      instanceId: INSTANCE,
      topology: 'standalone' as const,
      endpoints: [`127.0.0.1:${redis.port}`],
    }
    const opened = await openLocalStore({ dataDir, env: process.env })
    try {
      await opened.store.instances.add(instance)
      await opened.store.history.insertPoints(samples(Date.now()))
    } finally {
      await opened.close()
    }
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: KEY.id,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: KEY.secret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'history-cli-admin-password',
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '1',
    }
    const config = loadConfig(env, { host: '127.0.0.1', port: 0, dataDir: serverDir })
    server = await startServer(config, testLogger('history-cli'))
    await server.store.instances.add(instance)
  })
  after(async () => {
    await server?.close()
    await redis?.stop()
    await Promise.all([dataDir, serverDir].filter((d) => d !== '').map((d) => removeTempDir(d)))
  })

  void it('draws the total and each name as a sparkline with min, max and last', async () => {
    const out = await runCliOk(local(INSTANCE, '--by', 'name'))
    const lines = out.trimEnd().split('\n')
    assert.match(lines[0] ?? '', new RegExp(`^${INSTANCE} by name since `))
    assert.match(lines[1] ?? '', /^5 samples, \d{4}-.*Z → .*Z$/)
    assert.deepEqual(lines.slice(2), [
      'TOTAL   ▁▂█▄▁  min 3  max 8  last 3',
      'web     ▁▂█▄▁  min 0  max 5  last 0',
      '(none)  ▁▁▁▁▁  min 3  max 3  last 3',
    ])
  })

  void it('--json prints the Data object; --key keeps one group with zeros', async () => {
    const data: unknown = JSON.parse(
      await runCliOk(local(INSTANCE, '--by', 'name', '--key', 'web', '--json'))
    )
    assert.ok(typeof data === 'object' && data !== null && 'Points' in data)
    assert.ok(Array.isArray(data.Points))
    assert.deepEqual(
      data.Points.map((p: { Groups: unknown }) => p.Groups),
      [0, 1, 5, 2, 0].map((Count) => [{ Key: 'web', Count, Active: 0 }])
    )
  })

  void it('fails in one line for an unknown instance or a bad option', async () => {
    assertOneLineFailure(await runCli(local('r-nowhere')), { cause: /InvalidInstanceId\.NotFound/ })
    assertOneLineFailure(await runCli(local(INSTANCE, '--by', 'db')), {
      cause: /--by must be one of/,
    })
    assertOneLineFailure(await runCli(local(INSTANCE, '--since', 'soon')), {
      cause: /--since must be/,
    })
  })

  void it('reads what the server sampled itself through --endpoint', async () => {
    const running = server ?? assert.fail('no server')
    const sampled = async () =>
      running.store.history.query({
        instanceId: INSTANCE,
        from: 0,
        to: Date.now(),
        groupBy: 'total',
      })
    await waitFor(async () => (await sampled()).length >= 2, {
      what: 'two ticks of the sampler',
      timeoutMs: 15_000,
    })
    process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'] = KEY.id
    process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] = KEY.secret
    try {
      const out = await runCliOk([
        'history',
        INSTANCE,
        '--by',
        'ip',
        '--json',
        '--endpoint',
        running.url,
      ])
      const data: unknown = JSON.parse(out)
      assert.ok(
        typeof data === 'object' && data !== null && 'Points' in data && Array.isArray(data.Points)
      )
      assert.ok(data.Points.length >= 2, out)
      const chart = await runCliOk(['history', INSTANCE, '--by', 'ip', '--endpoint', running.url])
      assert.match(chart, /^TOTAL +[▁▂▃▄▅▆▇█]+ +min \d+ +max \d+ +last \d+$/m)
    } finally {
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_ID']
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET']
    }
  })
})

void describe('renderHistoryChart', () => {
  const point = (Timestamp: number, groups: Record<string, number>) => ({
    Timestamp,
    Total: Object.values(groups).reduce((a, b) => a + b, 0),
    Active: 0,
    Groups: Object.entries(groups).map(([Key, Count]) => ({ Key, Count })),
  })

  void it('keeps spikes when many samples share a column, and hides groups past --top', () => {
    const points = Array.from({ length: 100 }, (_, i) =>
      point(i * MIN, { a: i === 37 ? 50 : 1, b: 2, c: 1 })
    )
    const chart = renderHistoryChart({ Points: points }, { title: 't', top: 2, width: 60 })
    const lines = chart.split('\n')
    const a = lines.find((line) => line.startsWith('a '))
    assert.ok(a !== undefined, chart)
    assert.equal((a.match(/█/g) ?? []).length, 1, 'the one spike is one full bar')
    assert.ok(
      lines.every((line) => line.length <= 60 || line === lines[1]),
      chart
    )
    assert.equal(lines.at(-1), '1 more groups (see --top)')
  })

  void it('says so when there is no sample', () => {
    assert.match(
      renderHistoryChart({ Points: [] }, { title: 'r-x', top: 8, width: 80 }),
      /r-x: no samples/
    )
  })
})
