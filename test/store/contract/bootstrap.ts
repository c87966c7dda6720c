import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword } from '../../../src/store/password-hash.ts'
import type { FirstAdministrator, Store } from '../../../src/store/store.ts'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

const KEY = { accessKeyId: 'LTAIbootstrapContract01', accessKeySecret: 'bootstrap-contract-secret' }

async function admin(overrides: Partial<FirstAdministrator> = {}): Promise<FirstAdministrator> {
  return {
    userName: 'root',
    passwordHash: await hashPassword('bootstrap-contract-pw'),
    policy: { name: 'Everything', document: '{"Version":"1","Statement":[]}', description: 'all' },
    accessKey: KEY,
    audit: {
      time: 1_700_000_000_000,
      requestId: 'REQ-BOOTSTRAP',
      userName: 'local:tester',
      accessKeyId: '',
      sourceIp: 'local',
      action: 'BootstrapAdmin',
      result: 'Success',
      detail: { user: 'root', created: true },
    },
    ...overrides,
  }
}

/** What a bootstrap may have left behind: user, attachments, keys, audit events. */
async function traces(store: Store) {
  return {
    user: await store.users.get('root'),
    policies: await store.policies.listForUser('root').catch(() => []),
    key: await store.accessKeys.getForVerification(KEY.accessKeyId),
    events: (await store.audit.query({ pageNumber: 1, pageSize: 10 })).total,
  }
}

/** store.bootstrap */
export function bootstrapContract(ctx: ContractContext): void {
  void describe('bootstrap', () => {
    void it('creates user, policy, attachment, key and audit event together', async () => {
      await withStore(ctx, async (store) => {
        await store.bootstrap.createAdministrator(await admin())
        const found = await traces(store)
        assert.equal(found.user?.hasPassword, true)
        assert.deepEqual(
          found.policies.map((p) => p.name),
          ['Everything']
        )
        assert.equal(found.key?.userName, 'root')
        assert.equal(found.key?.secret, KEY.accessKeySecret)
        assert.equal(found.events, 1)
      })
    })

    void it('writes nothing when a write in the middle fails (the key exists already)', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('someone')
        await store.accessKeys.create('someone', KEY)
        const before = (await store.audit.query({ pageNumber: 1, pageSize: 10 })).total
        await rejectsWith(store.bootstrap.createAdministrator(await admin()), 'StoreConflict')
        const found = await traces(store)
        assert.equal(found.user, undefined, 'no user left without its key')
        assert.equal(await store.policies.get('Everything'), undefined, 'no policy either')
        assert.equal(found.key?.userName, 'someone')
        assert.equal(found.events, before)
      })
    })

    void it('refuses an existing user and keeps an existing policy as it is', async () => {
      await withStore(ctx, async (store) => {
        await store.policies.create('Everything', '{"Version":"1","Statement":[]}', 'narrowed')
        await store.bootstrap.createAdministrator(await admin())
        assert.equal((await store.policies.get('Everything'))?.description, 'narrowed')
        await rejectsWith(
          store.bootstrap.createAdministrator(
            await admin({ accessKey: { ...KEY, accessKeyId: 'LTAIbootstrapContract02' } })
          ),
          'StoreConflict',
          'user'
        )
      })
    })
  })
}
