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
