import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StoreConflictError } from '../../../src/store/errors.ts'
import { type ContractContext, withStore } from './context.ts'

/** ping, close, reopening (migrations run again without harm), concurrent writers. */
export function lifecycleContract(ctx: ContractContext): void {
  void describe('lifecycle', () => {
    void it('answers ping while open and refuses it after close', async () => {
      const store = await ctx.open()
      await store.ping()
      await store.close()
      await assert.rejects(store.ping())
    })

    void it('keeps data across a reopen with the same key (migrations are idempotent)', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const key = await store.accessKeys.create('alice')
        const again = await ctx.backend.reopen(store)
        try {
          assert.deepEqual(
            (await again.users.list()).map((u) => u.name),
            ['alice']
          )
          const got = await again.accessKeys.getForVerification(key.accessKeyId)
          assert.equal(got?.secret, key.accessKeySecret)
        } finally {
          await again.close()
        }
      })
    })

    void it('lets exactly one of many concurrent creators of a name win', async () => {
      await withStore(ctx, async (store) => {
        const other = await ctx.backend.reopen(store)
        try {
          const attempts = Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : other).users.create('racer')
          )
          const results = await Promise.allSettled(attempts)
          assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
          for (const r of results) {
            if (r.status === 'rejected') {
              assert.ok(r.reason instanceof StoreConflictError, String(r.reason))
            }
          }
        } finally {
          await other.close()
        }
      })
    })
  })
}
