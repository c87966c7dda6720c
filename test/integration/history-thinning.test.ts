import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import {
  createHistorySampler,
  THIN_INTERVAL_MS,
  type HistorySampler,
} from '../../src/service/history-sampler.ts'
import { createInstanceSessions } from '../../src/service/instance-sessions.ts'
import { openStore } from '../../src/store/open-store.ts'
import type { HistoryPoint, Store } from '../../src/store/store.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'

const MIN = 60_000
const HOUR = 60 * MIN
/** A multiple of 10 minutes, so the buckets below are easy to read. */
const NOW = 1_800_000_000_000
/** 25 h before NOW, a bucket boundary: older than the 24 h kept at full resolution. */
const OLD = NOW - 25 * HOUR
const INSTANCE = 'r-thin'

/** One stored sample: its total and one source, as the sampler writes them. */
function sample(time: number): HistoryPoint[] {
  const base = { instanceId: INSTANCE, time, count: 2, active: 0 }
  return [
    { ...base, groupBy: 'total', key: '' },
    { ...base, groupBy: 'source', key: '10.0.0.1' },
  ]
}

/**
 * The sampler downsamples the stored history once an hour (issue #5). No instance is
 * registered, so ticks collect nothing: only retention and downsampling run, on points
 * written straight to a real SQLite store.
 */
void describe('history sampler downsampling of stored points', () => {
  let dataDir = ''
  let store: Store | undefined
  let sampler: HistorySampler | undefined
  const s = (): Store => store ?? assert.fail('no store')
  const tick = (time: number) => (sampler ?? assert.fail('no sampler')).sampleOnce(time)
  const storedTimes = async () =>
    (await s().history.query({ instanceId: INSTANCE, groupBy: 'total', from: 0, to: 2 * NOW })).map(
      (point) => (point.time - NOW) / MIN
    )

  before(async () => {
    dataDir = await makeTempDir('rs-thin-')
    store = await openStore({ dataDir, masterKey: randomBytes(32) })
    sampler = createHistorySampler({
      store,
      // Never asked: nothing is registered.
      sessions: createInstanceSessions({
        resolve: () => Promise.resolve(undefined),
        resultCacheMs: 0,
      }),
      logger: pino({ level: 'silent' }),
      intervalSeconds: 60,
    })
  })
  after(async () => {
    await store?.close()
    await removeTempDir(dataDir)
  })

  it('keeps the latest sample per 10 minutes beyond 24 h, once an hour', async () => {
    const recent = [NOW - HOUR, NOW - HOUR + MIN]
    await s().history.insertPoints(
      [OLD, OLD + MIN, OLD + 2 * MIN, ...recent].flatMap((time) => sample(time))
    )
    const first = await tick(NOW)
    assert.equal(first.thinned, 2 * 2, 'two old samples of two rows each')
    assert.deepEqual(await storedTimes(), [-25 * 60 + 2, -60, -59])

    // Two more samples in the same old bucket: not thinned until an hour has passed.
    await s().history.insertPoints([OLD + 3 * MIN, OLD + 4 * MIN].flatMap((time) => sample(time)))
    assert.equal((await tick(NOW + MIN)).thinned, 0)
    assert.equal((await tick(NOW + THIN_INTERVAL_MS - MIN)).thinned, 0)
    assert.deepEqual(await storedTimes(), [-25 * 60 + 2, -25 * 60 + 3, -25 * 60 + 4, -60, -59])
    assert.equal((await tick(NOW + THIN_INTERVAL_MS)).thinned, 2 * 2)
    // Samples of the last 24 h keep full resolution.
    assert.deepEqual(await storedTimes(), [-25 * 60 + 4, -60, -59])
    const sources = await s().history.query({
      instanceId: INSTANCE,
      groupBy: 'source',
      from: 0,
      to: 2 * NOW,
    })
    assert.deepEqual(
      sources.map((point) => (point.time - NOW) / MIN),
      [-25 * 60 + 4, -60, -59],
      'every grouping of a sample goes or stays with it'
    )
  })
})
