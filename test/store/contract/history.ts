import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HistoryPoint } from '../../../src/store/store.ts'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

function point(time: number, key: string, count: number, patch: Partial<HistoryPoint> = {}) {
  const p: HistoryPoint = { instanceId: 'r-a', time, groupBy: 'source', key, count, active: 0 }
  return { ...p, ...patch }
}

/** store.history */
export function historyContract(ctx: ContractContext): void {
  void describe('history', () => {
    void it('stores points and queries one instance, grouping, range and key', async () => {
      await withStore(ctx, async (store) => {
        await store.history.insertPoints([
          point(2000, '10.0.0.2', 5, { active: 2 }),
          point(1000, '10.0.0.1', 3),
          point(1000, '10.0.0.2', 4),
          point(3000, '10.0.0.1', 1),
          point(2000, '', 9, { groupBy: 'total' }),
          point(2000, '10.0.0.1', 7, { instanceId: 'r-b' }),
        ])
        const got = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: 1000,
          to: 2000,
        })
        assert.deepEqual(got, [
          point(1000, '10.0.0.1', 3),
          point(1000, '10.0.0.2', 4),
          point(2000, '10.0.0.2', 5, { active: 2 }),
        ])
        const one = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: 0,
          to: 9999,
          key: '10.0.0.1',
        })
        assert.deepEqual(
          one.map((p) => [p.time, p.count]),
          [
            [1000, 3],
            [3000, 1],
          ]
        )
      })
    })

    void it('replaces a point sampled twice and keeps ms times beyond 2^31', async () => {
      await withStore(ctx, async (store) => {
        const t = 1_760_000_000_123
        await store.history.insertPoints([point(t, 'k', 1)])
        await store.history.insertPoints([point(t, 'k', 8, { active: 3 })])
        const got = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: t,
          to: t,
        })
        assert.deepEqual(got, [point(t, 'k', 8, { active: 3 })])
        assert.equal(typeof got[0]?.time, 'number')
      })
    })

    void it('stores nothing when any point of a batch is rejected by the database', async () => {
      await withStore(ctx, async (store) => {
        await store.history.insertPoints([point(1, 'keep', 1)])
        // 1,200 points span three statements; the last violates count ≥ 0, which only the
        // schema checks, so the first statements have already run when it fails.
        const batch = Array.from({ length: 1200 }, (_, i) => point(i + 1, 'batch', 1))
        batch[0] = point(1, 'keep', 99)
        batch[1199] = point(1200, 'batch', -1)
        await rejectsWith(store.history.insertPoints(batch), 'StoreInvalidInput')
        const all = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: 0,
          to: 1e6,
        })
        assert.deepEqual(all, [point(1, 'keep', 1)])
      })
    })

    void it('refuses malformed points and duplicates within one batch', async () => {
      await withStore(ctx, async (store) => {
        await rejectsWith(store.history.insertPoints([point(1.5, 'k', 1)]), 'StoreInvalidInput')
        await rejectsWith(
          store.history.insertPoints([point(1, 'k', 1), point(1, 'k', 2)]),
          'StoreInvalidInput'
        )
        await rejectsWith(
          store.history.insertPoints([point(1, 'k', 1, { active: 2 })]),
          'StoreInvalidInput'
        )
        await store.history.insertPoints([])
        await rejectsWith(
          store.history.query({ instanceId: 'r-a', groupBy: 'source', from: NaN, to: 9 }),
          'StoreInvalidInput'
        )
        const all = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: 0,
          to: 9,
        })
        assert.deepEqual(all, [])
      })
    })

    void it('thins old points to the latest sample of each bucket, per instance', async () => {
      await withStore(ctx, async (store) => {
        const B = 600_000
        const base = 1_760_000_000_000 - (1_760_000_000_000 % B) // a bucket boundary
        const sample = (instanceId: string, time: number) => [
          point(time, '', 3, { instanceId, groupBy: 'total' }),
          point(time, '10.0.0.1', 2, { instanceId }),
          point(time, '10.0.0.2', 1, { instanceId }),
        ]
        const times = [
          base, // bucket 0: three samples, the last exactly one ms before the next bucket
          base + 60_000,
          base + B - 1,
          base + B, // bucket 1: one sample
          base + 2 * B + 1000, // bucket 2 straddles `before`: one sample before it…
          base + 2 * B + 5000, // …and two at or after it
          base + 2 * B + 9000,
        ]
        const before = base + 2 * B + 5000
        await store.history.insertPoints(times.flatMap((t) => sample('r-a', t)))
        // r-b's latest sample of bucket 0 is not r-a's: buckets are per instance.
        await store.history.insertPoints([...sample('r-b', base), ...sample('r-b', base + 1)])
        // A grouping missing from the latest sample does not keep an earlier one alive.
        await store.history.insertPoints([point(base + 30_000, 'gone', 1)])

        assert.equal(await store.history.thin({ before, bucketMs: B }), 2 * 3 + 3 + 1)
        const timesOf = async (instanceId: string, groupBy: 'total' | 'source') =>
          (await store.history.query({ instanceId, groupBy, from: 0, to: 2 * base })).map(
            (p) => `${p.time - base}:${p.key}`
          )
        assert.deepEqual(await timesOf('r-a', 'total'), [
          `${B - 1}:`,
          `${B}:`,
          `${2 * B + 1000}:`,
          `${2 * B + 5000}:`,
          `${2 * B + 9000}:`,
        ])
        assert.deepEqual(await timesOf('r-a', 'source'), [
          `${B - 1}:10.0.0.1`,
          `${B - 1}:10.0.0.2`,
          `${B}:10.0.0.1`,
          `${B}:10.0.0.2`,
          `${2 * B + 1000}:10.0.0.1`,
          `${2 * B + 1000}:10.0.0.2`,
          `${2 * B + 5000}:10.0.0.1`,
          `${2 * B + 5000}:10.0.0.2`,
          `${2 * B + 9000}:10.0.0.1`,
          `${2 * B + 9000}:10.0.0.2`,
        ])
        assert.deepEqual(await timesOf('r-b', 'total'), ['1:'])
        // Idempotent; a later `before` thins the straddling bucket down to its latest sample.
        assert.equal(await store.history.thin({ before, bucketMs: B }), 0)
        assert.equal(await store.history.thin({ before: base + 3 * B, bucketMs: B }), 2 * 3)
        assert.deepEqual(await timesOf('r-a', 'total'), [`${B - 1}:`, `${B}:`, `${2 * B + 9000}:`])
        await rejectsWith(store.history.thin({ before, bucketMs: 0 }), 'StoreInvalidInput')
        await rejectsWith(store.history.thin({ before, bucketMs: 1.5 }), 'StoreInvalidInput')
      })
    })

    void it('deletes points older than a time', async () => {
      await withStore(ctx, async (store) => {
        await store.history.insertPoints([
          point(100, 'a', 1),
          point(200, 'a', 1),
          point(300, 'a', 1),
        ])
        assert.equal(await store.history.deleteOlderThan(200), 1)
        const left = await store.history.query({
          instanceId: 'r-a',
          groupBy: 'source',
          from: 0,
          to: 999,
        })
        assert.deepEqual(
          left.map((p) => p.time),
          [200, 300]
        )
      })
    })
  })
}
