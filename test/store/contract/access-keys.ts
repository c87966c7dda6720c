import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { assertRaw, type ContractContext, rejectsWith, withStore } from './context.ts'

/** store.accessKeys */
export function accessKeyContract(ctx: ContractContext): void {
  void describe('accessKeys', () => {
    void it('creates a random LTAI key whose secret only verification can read', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const key = await store.accessKeys.create('alice')
        assert.match(key.accessKeyId, /^LTAI[0-9A-Za-z]{20}$/)
        assert.match(key.accessKeySecret, /^[0-9A-Za-z]{30}$/)
        assert.deepEqual(await store.accessKeys.getForVerification(key.accessKeyId), {
          accessKeyId: key.accessKeyId,
          secret: key.accessKeySecret,
          status: 'Active',
          userName: 'alice',
        })
        const listed = await store.accessKeys.list()
        assert.equal(listed.length, 1)
        assert.deepEqual(Object.keys(listed[0] ?? {}).sort(), [
          'accessKeyId',
          'createdAt',
          'status',
          'userName',
        ])
        assert.ok(!JSON.stringify(listed).includes(key.accessKeySecret))
        assert.equal(await store.accessKeys.getForVerification('LTAInope'), undefined)
      })
    })

    void it('creates a key with a given id and secret (bootstrap) and refuses a duplicate', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('admin')
        const given = { accessKeyId: 'LTAIbootstrap0001', accessKeySecret: 'given-secret-value' }
        assert.deepEqual(await store.accessKeys.create('admin', given), given)
        assert.equal(
          (await store.accessKeys.getForVerification(given.accessKeyId))?.secret,
          given.accessKeySecret
        )
        await rejectsWith(store.accessKeys.create('admin', given), 'StoreConflict', 'accessKey')
        await rejectsWith(
          store.accessKeys.create('admin', { accessKeyId: 'STS.x', accessKeySecret: 's' }),
          'StoreInvalidInput'
        )
        await rejectsWith(
          store.accessKeys.create('admin', { accessKeyId: 'LTAIok', accessKeySecret: '' }),
          'StoreInvalidInput'
        )
      })
    })

    void it('refuses a key for an unknown user', async () => {
      await withStore(ctx, async (store) => {
        await rejectsWith(store.accessKeys.create('ghost'), 'StoreNotFound', 'user')
        assert.deepEqual(await store.accessKeys.list(), [])
      })
    })

    void it('stores the secret encrypted, never in plain text', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('visible-user-name')
        const given = {
          accessKeyId: 'LTAIplain0001',
          accessKeySecret: 'PlainSecretMarker0123456789',
        }
        await store.accessKeys.create('visible-user-name', given)
        const random = await store.accessKeys.create('visible-user-name')
        await assertRaw(ctx, store, 'visible-user-name', [
          given.accessKeySecret,
          random.accessKeySecret,
        ])
      })
    })

    void it('cannot decrypt under a different master key', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const key = await store.accessKeys.create('alice')
        const other = await ctx.backend.reopen(store, randomBytes(32))
        try {
          await rejectsWith(
            other.accessKeys.getForVerification(key.accessKeyId),
            'SecretDecryptFailed'
          )
          // Listing needs no secret, so it still works.
          assert.equal((await other.accessKeys.list()).length, 1)
        } finally {
          await other.close()
        }
      })
    })

    void it('switches status, lists per user, deletes', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('a')
        await store.users.create('b')
        const a1 = await store.accessKeys.create('a')
        const b1 = await store.accessKeys.create('b')
        await store.accessKeys.setStatus(a1.accessKeyId, 'Inactive')
        assert.equal(
          (await store.accessKeys.getForVerification(a1.accessKeyId))?.status,
          'Inactive'
        )
        await store.accessKeys.setStatus(a1.accessKeyId, 'Active')
        assert.equal((await store.accessKeys.getForVerification(a1.accessKeyId))?.status, 'Active')
        await rejectsWith(store.accessKeys.setStatus('LTAInone', 'Active'), 'StoreNotFound')
        await rejectsWith(
          // A caller that lost its types must still not store an unknown status.
          store.accessKeys.setStatus(a1.accessKeyId, JSON.parse('"Deleted"') as 'Active'),
          'StoreInvalidInput'
        )

        assert.deepEqual(
          (await store.accessKeys.list('b')).map((k) => k.accessKeyId),
          [b1.accessKeyId]
        )
        assert.deepEqual(
          (await store.accessKeys.list()).map((k) => k.userName),
          ['a', 'b']
        )
        await store.accessKeys.delete(a1.accessKeyId)
        assert.equal(await store.accessKeys.getForVerification(a1.accessKeyId), undefined)
        await rejectsWith(store.accessKeys.delete(a1.accessKeyId), 'StoreNotFound', 'accessKey')
        assert.deepEqual(await store.accessKeys.list('a'), [])
      })
    })
  })
}
