import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

const ALLOW_ALL = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
const READ_ONLY =
  '{"Version":"1","Statement":[{"Effect":"Allow","Action":"hdm:GetRedisAllSession","Resource":"*"}]}'

/** store.policies */
export function policyContract(ctx: ContractContext): void {
  void describe('policies', () => {
    void it('creates, gets, lists and deletes policies, keeping the document text', async () => {
      await withStore(ctx, async (store) => {
        const created = await store.policies.create('AdminAll', ALLOW_ALL, 'everything')
        assert.equal(created.document, ALLOW_ALL)
        assert.equal(created.description, 'everything')
        await store.policies.create('ReadOnly', READ_ONLY, '')
        assert.deepEqual(await store.policies.get('AdminAll'), created)
        assert.deepEqual(
          (await store.policies.list()).map((p) => p.name),
          ['AdminAll', 'ReadOnly']
        )
        await store.policies.delete('AdminAll')
        assert.equal(await store.policies.get('AdminAll'), undefined)
        await rejectsWith(store.policies.delete('AdminAll'), 'StoreNotFound', 'policy')
      })
    })

    void it('refuses duplicates and bad names', async () => {
      await withStore(ctx, async (store) => {
        await store.policies.create('p1', ALLOW_ALL, '')
        await rejectsWith(store.policies.create('p1', READ_ONLY, ''), 'StoreConflict', 'policy')
        assert.equal((await store.policies.get('p1'))?.document, ALLOW_ALL)
        await rejectsWith(store.policies.create('bad name', ALLOW_ALL, ''), 'StoreInvalidInput')
        await rejectsWith(store.policies.create('p2', '', ''), 'StoreInvalidInput')
      })
    })

    void it('attaches to users, lists a user’s documents sorted, detaches', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        await store.policies.create('b-read', READ_ONLY, '')
        await store.policies.create('a-all', ALLOW_ALL, '')
        await store.policies.attach('b-read', 'alice')
        await store.policies.attach('a-all', 'alice')
        assert.deepEqual(await store.policies.listForUser('alice'), [
          { name: 'a-all', document: ALLOW_ALL },
          { name: 'b-read', document: READ_ONLY },
        ])
        await rejectsWith(store.policies.attach('a-all', 'alice'), 'StoreConflict', 'attachment')
        await rejectsWith(store.policies.attach('nope', 'alice'), 'StoreNotFound', 'policy')
        await rejectsWith(store.policies.attach('a-all', 'ghost'), 'StoreNotFound', 'user')

        await store.policies.detach('a-all', 'alice')
        assert.deepEqual(
          (await store.policies.listForUser('alice')).map((p) => p.name),
          ['b-read']
        )
        await rejectsWith(store.policies.detach('a-all', 'alice'), 'StoreNotFound', 'attachment')
        assert.deepEqual(await store.policies.listForUser('ghost'), [])
      })
    })

    void it('detaches a deleted policy from every user', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('u1')
        await store.users.create('u2')
        await store.policies.create('shared', ALLOW_ALL, '')
        await store.policies.attach('shared', 'u1')
        await store.policies.attach('shared', 'u2')
        await store.policies.delete('shared')
        assert.deepEqual(await store.policies.listForUser('u1'), [])
        assert.deepEqual(await store.policies.listForUser('u2'), [])
        // Re-creating the name does not resurrect old attachments.
        await store.policies.create('shared', READ_ONLY, '')
        assert.deepEqual(await store.policies.listForUser('u1'), [])
      })
    })
  })
}
