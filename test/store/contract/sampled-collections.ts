import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CollectionStatus } from '../../../src/store/store.ts'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

const OK: CollectionStatus = {
  time: 1_795_000_000_123,
  total: 48_000,
  active: 7,
  nodes: 6,
  failedNodes: 0,
}
const PARTIAL: CollectionStatus = {
  time: 1_795_000_060_000,
  total: 10,
  active: 0,
  nodes: 6,
  failedNodes: 2,
}
const FAILED: CollectionStatus = {
  time: 1_795_000_120_000,
  total: 0,
  active: 0,
  nodes: 0,
  failedNodes: 0,
  error: { code: 'TopologyDiscoveryFailed', message: '10.0.0.5:6379: connect ECONNREFUSED' },
}

/** store.sampledCollections */
export function sampledCollectionContract(ctx: ContractContext): void {
  void describe('sampled collections', () => {
    void it('records one row per instance, replaces it, and reads those asked for', async () => {
      await withStore(ctx, async (store) => {
        assert.deepEqual(await store.sampledCollections.latest(['r-a']), new Map())
        await store.sampledCollections.record([
          { instanceId: 'r-a', status: OK },
          { instanceId: 'r-b', status: FAILED },
        ])
        assert.deepEqual(
          await store.sampledCollections.latest(['r-a', 'r-b', 'r-none']),
          new Map([
            ['r-a', OK],
            ['r-b', FAILED],
          ])
        )
        // The next tick replaces the row, the error included.
        await store.sampledCollections.record([
          { instanceId: 'r-a', status: PARTIAL },
          { instanceId: 'r-b', status: OK },
        ])
        assert.deepEqual(
          await store.sampledCollections.latest(['r-b', 'r-a']),
          new Map([
            ['r-a', PARTIAL],
            ['r-b', OK],
          ])
        )
        assert.deepEqual(await store.sampledCollections.latest([]), new Map())
        await store.sampledCollections.record([])
      })
    })

    void it('refuses bad counts and duplicates, writing nothing', async () => {
      await withStore(ctx, async (store) => {
        const bad: CollectionStatus[] = [
          { ...OK, total: -1 },
          { ...OK, active: 1.5 },
          { ...OK, time: Number.NaN },
          { ...OK, error: { code: '', message: 'x' } },
        ]
        for (const status of bad) {
          await rejectsWith(
            store.sampledCollections.record([
              { instanceId: 'r-a', status: OK },
              { instanceId: 'r-c', status },
            ]),
            'StoreInvalidInput'
          )
        }
        await rejectsWith(
          store.sampledCollections.record([
            { instanceId: 'r-a', status: OK },
            { instanceId: 'r-a', status: PARTIAL },
          ]),
          'StoreInvalidInput'
        )
        // More active than total, or more failed nodes than nodes: the CHECK of the schema.
        await assert.rejects(
          store.sampledCollections.record([
            { instanceId: 'r-a', status: { ...OK, active: 48_001 } },
          ])
        )
        await assert.rejects(
          store.sampledCollections.record([
            { instanceId: 'r-a', status: { ...OK, failedNodes: 7 } },
          ])
        )
        assert.deepEqual(await store.sampledCollections.latest(['r-a', 'r-c']), new Map())
      })
    })

    void it('is deleted with its instance', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add({ instanceId: 'r-a', topology: 'standalone', endpoints: ['h:1'] })
        await store.instances.add({ instanceId: 'r-b', topology: 'standalone', endpoints: ['h:2'] })
        await store.sampledCollections.record([
          { instanceId: 'r-a', status: OK },
          { instanceId: 'r-b', status: OK },
        ])
        await store.instances.delete('r-a')
        assert.deepEqual(
          [...(await store.sampledCollections.latest(['r-a', 'r-b'])).keys()],
          ['r-b']
        )
      })
    })
  })
}
