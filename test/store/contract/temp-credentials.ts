import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { assertRaw, type ContractContext, rejectsWith, withStore } from './context.ts'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const HOUR = 3_600_000

/** store.tempCredentials */
export function tempCredentialContract(ctx: ContractContext): void {
  void describe('tempCredentials', () => {
    void it('issues STS credentials and returns what verification needs', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const now = 1_700_000_000_000
        const issued = await store.tempCredentials.create('alice', HOUR, now)
        assert.match(issued.accessKeyId, /^STS\.[0-9A-Za-z]{24}$/)
        assert.match(issued.accessKeySecret, /^[0-9A-Za-z]{30}$/)
        assert.ok(issued.securityToken.length >= 32)
        assert.equal(issued.expiresAt, now + HOUR)
        assert.deepEqual(await store.tempCredentials.getForVerification(issued.accessKeyId), {
          accessKeyId: issued.accessKeyId,
          secret: issued.accessKeySecret,
          userName: 'alice',
          securityTokenSha256: sha256(issued.securityToken),
          expiresAt: now + HOUR,
          revoked: false,
        })
        assert.equal(await store.tempCredentials.getForVerification('STS.none'), undefined)
        await rejectsWith(store.tempCredentials.create('ghost', HOUR, now), 'StoreNotFound', 'user')
        await rejectsWith(store.tempCredentials.create('alice', 0, now), 'StoreInvalidInput')
      })
    })

    void it('stores neither the secret nor the token in plain text', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('token-owner')
        const issued = await store.tempCredentials.create('token-owner', HOUR, Date.now())
        await assertRaw(ctx, store, sha256(issued.securityToken), [
          issued.accessKeySecret,
          issued.securityToken,
        ])
        const other = await ctx.backend.reopen(store, randomBytes(32))
        try {
          await rejectsWith(
            other.tempCredentials.getForVerification(issued.accessKeyId),
            'SecretDecryptFailed'
          )
        } finally {
          await other.close()
        }
      })
    })

    void it('revokes one set of credentials', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const a = await store.tempCredentials.create('alice', HOUR, 0)
        const b = await store.tempCredentials.create('alice', HOUR, 0)
        await store.tempCredentials.revoke(a.accessKeyId)
        assert.equal((await store.tempCredentials.getForVerification(a.accessKeyId))?.revoked, true)
        assert.equal(
          (await store.tempCredentials.getForVerification(b.accessKeyId))?.revoked,
          false
        )
        await rejectsWith(store.tempCredentials.revoke('STS.none'), 'StoreNotFound')
      })
    })

    void it('revokes every set of one user, and only that user', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        await store.users.create('bob')
        const a1 = await store.tempCredentials.create('alice', HOUR, 0)
        const a2 = await store.tempCredentials.create('alice', HOUR, 0)
        const a3 = await store.tempCredentials.create('alice', HOUR, 0)
        const b = await store.tempCredentials.create('bob', HOUR, 0)
        await store.tempCredentials.revoke(a3.accessKeyId)
        // a3 was revoked already: only the two still valid ones count.
        assert.equal(await store.tempCredentials.revokeForUser('alice'), 2)
        for (const { accessKeyId } of [a1, a2, a3]) {
          assert.equal(
            (await store.tempCredentials.getForVerification(accessKeyId))?.revoked,
            true,
            accessKeyId
          )
        }
        assert.equal(
          (await store.tempCredentials.getForVerification(b.accessKeyId))?.revoked,
          false
        )
        assert.equal(await store.tempCredentials.revokeForUser('alice'), 0)
        assert.equal(await store.tempCredentials.revokeForUser('ghost'), 0)
      })
    })

    void it('deletes exactly the expired ones', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        const early = await store.tempCredentials.create('alice', 1000, 0) // expires at 1000
        const edge = await store.tempCredentials.create('alice', 2000, 0) // expires at 2000
        const late = await store.tempCredentials.create('alice', 3000, 0) // expires at 3000
        assert.equal(await store.tempCredentials.deleteExpired(2000), 2)
        assert.equal(await store.tempCredentials.getForVerification(early.accessKeyId), undefined)
        assert.equal(await store.tempCredentials.getForVerification(edge.accessKeyId), undefined)
        assert.ok(await store.tempCredentials.getForVerification(late.accessKeyId))
        assert.equal(await store.tempCredentials.deleteExpired(2000), 0)
      })
    })
  })
}
