import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, verifyPassword } from '../../../src/store/password-hash.ts'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

/** store.users */
export function userContract(ctx: ContractContext): void {
  void describe('users', () => {
    void it('creates, gets and lists users sorted by name', async () => {
      await withStore(ctx, async (store) => {
        const before = Date.now()
        const bob = await store.users.create('bob')
        await store.users.create('alice@example.com', await hashPassword('pw'))
        assert.equal(bob.name, 'bob')
        assert.equal(bob.hasPassword, false)
        assert.ok(bob.createdAt >= before && bob.createdAt <= Date.now())
        assert.deepEqual(
          (await store.users.list()).map((u) => [u.name, u.hasPassword]),
          [
            ['alice@example.com', true],
            ['bob', false],
          ]
        )
        const got = await store.users.get('bob')
        assert.deepEqual(got, bob)
        assert.equal('passwordHash' in (got ?? {}), false)
        assert.equal(await store.users.get('nobody'), undefined)
      })
    })

    void it('sorts names bytewise, whatever the database locale', async () => {
      await withStore(ctx, async (store) => {
        const names = ['b', 'aa', 'B', 'a-b', '_x', 'a.b', 'A']
        for (const name of names) await store.users.create(name)
        // JS sort compares UTF-16 code units: bytewise for ASCII.
        assert.deepEqual(
          (await store.users.list()).map((u) => u.name),
          [...names].sort()
        )
      })
    })

    void it('keeps the password hash for sign-in and replaces or clears it', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('carol', await hashPassword('first'))
        const first = await store.users.get('carol')
        assert.equal(await verifyPassword('first', first?.passwordHash ?? ''), true)
        await store.users.setPassword('carol', await hashPassword('second'))
        const second = await store.users.get('carol')
        assert.equal(await verifyPassword('first', second?.passwordHash ?? ''), false)
        assert.equal(await verifyPassword('second', second?.passwordHash ?? ''), true)
        await store.users.setPassword('carol', null)
        const cleared = await store.users.get('carol')
        assert.equal(cleared?.hasPassword, false)
        assert.equal(cleared?.passwordHash, undefined)
        await rejectsWith(store.users.setPassword('nobody', null), 'StoreNotFound', 'user')
      })
    })

    void it('refuses a duplicate name and names outside ^[a-zA-Z0-9._@-]{1,64}$', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('dave')
        await rejectsWith(store.users.create('dave'), 'StoreConflict', 'user')
        for (const bad of ['', 'a b', 'x'.repeat(65), 'bob/1', 'ünï', "o'neil"]) {
          await rejectsWith(store.users.create(bad), 'StoreInvalidInput')
        }
        await store.users.create('a.b_c-d@e')
        await store.users.create('x'.repeat(64))
        assert.equal((await store.users.list()).length, 3)
      })
    })

    void it('deletes a user with its keys, temporary credentials and attachments', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('erin')
        await store.users.create('frank')
        const key = await store.accessKeys.create('erin')
        const kept = await store.accessKeys.create('frank')
        const temp = await store.tempCredentials.create('erin', 60_000, Date.now())
        await store.policies.create('p', '{"Statement":[]}', '')
        await store.policies.attach('p', 'erin')
        await store.policies.attach('p', 'frank')

        await store.users.delete('erin')
        assert.equal(await store.users.get('erin'), undefined)
        assert.equal(await store.accessKeys.getForVerification(key.accessKeyId), undefined)
        assert.equal(await store.tempCredentials.getForVerification(temp.accessKeyId), undefined)
        assert.deepEqual(await store.policies.listForUser('erin'), [])
        assert.deepEqual(
          (await store.accessKeys.list()).map((k) => k.accessKeyId),
          [kept.accessKeyId]
        )
        assert.equal((await store.policies.listForUser('frank')).length, 1)
        assert.ok(await store.policies.get('p'), 'the policy itself stays')

        // A user of the same name later starts clean.
        await store.users.create('erin')
        assert.deepEqual(await store.accessKeys.list('erin'), [])
        assert.deepEqual(await store.policies.listForUser('erin'), [])
        await rejectsWith(store.users.delete('nobody'), 'StoreNotFound', 'user')
      })
    })
  })
}
