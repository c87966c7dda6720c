import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import type { NewInstance } from '../../../src/store/store.ts'
import { assertRaw, type ContractContext, rejectsWith, withStore } from './context.ts'

const PROD: NewInstance = {
  instanceId: 'r-prod-cache',
  topology: 'sentinel',
  endpoints: ['10.0.0.1:26379', '[::1]:26379'],
  username: 'monitor',
  password: 'RedisPasswordMarker-42',
  tls: {
    enabled: true,
    ca: '-----BEGIN CERTIFICATE-----\nX\n',
    servername: 'redis.local',
    skipVerify: false,
  },
  sentinelMasterName: 'mymaster',
  addressMap: [
    { from: '10.0.0.5:6379', to: '203.0.113.5:16379' },
    { from: '[fd00::6]:6379', to: '[2001:db8::5]:16380' },
  ],
  description: 'production cache',
}

/** store.instances */
export function instanceContract(ctx: ContractContext): void {
  void describe('instances', () => {
    void it('adds and gets an instance with every field, password write-only', async () => {
      await withStore(ctx, async (store) => {
        const before = Date.now()
        const added = await store.instances.add(PROD)
        const { password: _password, ...visible } = PROD
        assert.deepEqual(
          { ...added, createdAt: 0, updatedAt: 0 },
          { ...visible, hasPassword: true, createdAt: 0, updatedAt: 0 }
        )
        assert.ok(added.createdAt >= before && added.createdAt === added.updatedAt)
        assert.deepEqual(await store.instances.get('r-prod-cache'), added)
        assert.ok(!JSON.stringify(added).includes(PROD.password ?? '?'))
        assert.equal(await store.instances.getConnectionSecret('r-prod-cache'), PROD.password)
        assert.equal(await store.instances.get('r-none'), undefined)
        await rejectsWith(
          store.instances.getConnectionSecret('r-none'),
          'StoreNotFound',
          'instance'
        )
      })
    })

    void it('fills defaults for a minimal instance', async () => {
      await withStore(ctx, async (store) => {
        const added = await store.instances.add({
          instanceId: 'r-min',
          topology: 'standalone',
          endpoints: ['/var/run/redis.sock'],
        })
        assert.deepEqual(
          { ...added, createdAt: 0, updatedAt: 0 },
          {
            instanceId: 'r-min',
            topology: 'standalone',
            endpoints: ['/var/run/redis.sock'],
            hasPassword: false,
            tls: { enabled: false, skipVerify: false },
            description: '',
            createdAt: 0,
            updatedAt: 0,
          }
        )
        assert.equal(await store.instances.getConnectionSecret('r-min'), undefined)
      })
    })

    void it('refuses duplicates and invalid fields', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add(PROD)
        await rejectsWith(store.instances.add(PROD), 'StoreConflict', 'instance')
        const base = { topology: 'standalone' as const, endpoints: ['h:1'] }
        for (const instanceId of ['R-upper', '1abc', 'a', 'a_b', `a${'b'.repeat(64)}`]) {
          await rejectsWith(store.instances.add({ ...base, instanceId }), 'StoreInvalidInput')
        }
        await rejectsWith(
          store.instances.add({ ...base, instanceId: 'r-x', endpoints: [] }),
          'StoreInvalidInput'
        )
        await rejectsWith(
          store.instances.add({ instanceId: 'r-s', topology: 'sentinel', endpoints: ['h:1'] }),
          'StoreInvalidInput'
        )
        const twice = [
          { from: 'h:1', to: 'a:1' },
          { from: 'h:1', to: 'b:1' },
        ]
        await rejectsWith(
          store.instances.add({ ...base, instanceId: 'r-m', addressMap: twice }),
          'StoreInvalidInput'
        )
        assert.equal((await store.instances.list({ page: 1, pageSize: 10 })).total, 1)
      })
    })

    void it('keeps the password encrypted at rest and unreadable under another key', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add(PROD)
        await assertRaw(ctx, store, 'r-prod-cache', [PROD.password ?? '?'])
        const other = await ctx.backend.reopen(store, randomBytes(32))
        try {
          assert.equal((await other.instances.get('r-prod-cache'))?.hasPassword, true)
          await rejectsWith(
            other.instances.getConnectionSecret('r-prod-cache'),
            'SecretDecryptFailed'
          )
        } finally {
          await other.close()
        }
      })
    })

    void it('updates fields: absent keeps, null clears, password replaced or removed', async () => {
      await withStore(ctx, async (store) => {
        const added = await store.instances.add(PROD)
        const renamed = await store.instances.update('r-prod-cache', {
          description: 'renamed',
          endpoints: ['10.0.0.9:26379'],
        })
        assert.equal(renamed.description, 'renamed')
        assert.deepEqual(renamed.endpoints, ['10.0.0.9:26379'])
        assert.equal(renamed.username, 'monitor')
        assert.equal(renamed.createdAt, added.createdAt)
        assert.ok(renamed.updatedAt >= added.updatedAt)
        assert.equal(await store.instances.getConnectionSecret('r-prod-cache'), PROD.password)

        await store.instances.update('r-prod-cache', { password: 'new-password' })
        assert.equal(await store.instances.getConnectionSecret('r-prod-cache'), 'new-password')

        const cleared = await store.instances.update('r-prod-cache', {
          topology: 'cluster',
          sentinelMasterName: null,
          username: null,
          password: null,
          tls: { enabled: false, skipVerify: false },
        })
        assert.equal(cleared.topology, 'cluster')
        assert.equal(cleared.hasPassword, false)
        assert.equal('username' in cleared, false)
        assert.equal('sentinelMasterName' in cleared, false)
        assert.deepEqual(cleared.tls, { enabled: false, skipVerify: false })
        assert.deepEqual(await store.instances.get('r-prod-cache'), cleared)
        assert.equal(await store.instances.getConnectionSecret('r-prod-cache'), undefined)

        await rejectsWith(store.instances.update('r-none', { description: 'x' }), 'StoreNotFound')
        // An update that would break an invariant changes nothing.
        await rejectsWith(
          store.instances.update('r-prod-cache', { topology: 'sentinel', description: 'no!' }),
          'StoreInvalidInput'
        )
        assert.deepEqual(await store.instances.get('r-prod-cache'), cleared)
      })
    })

    void it('keeps the address map in order, replaces it whole and clears it', async () => {
      await withStore(ctx, async (store) => {
        const added = await store.instances.add(PROD)
        assert.deepEqual(added.addressMap, PROD.addressMap)
        const untouched = await store.instances.update('r-prod-cache', { description: 'x' })
        assert.deepEqual(untouched.addressMap, PROD.addressMap)
        const replaced = await store.instances.update('r-prod-cache', {
          addressMap: [{ from: '10.0.0.7:7000', to: 'gw.example:17000' }],
        })
        assert.deepEqual(replaced.addressMap, [{ from: '10.0.0.7:7000', to: 'gw.example:17000' }])
        const reopened = await ctx.backend.reopen(store)
        try {
          assert.deepEqual((await reopened.instances.get('r-prod-cache'))?.addressMap, [
            { from: '10.0.0.7:7000', to: 'gw.example:17000' },
          ])
        } finally {
          await reopened.close()
        }
        for (const clear of [null, []]) {
          await store.instances.update('r-prod-cache', { addressMap: PROD.addressMap ?? [] })
          const cleared = await store.instances.update('r-prod-cache', { addressMap: clear })
          assert.equal('addressMap' in cleared, false)
          assert.equal('addressMap' in ((await store.instances.get('r-prod-cache')) ?? {}), false)
        }
        const empty = await store.instances.add({
          instanceId: 'r-empty-map',
          topology: 'cluster',
          endpoints: ['h:1'],
          addressMap: [],
        })
        assert.equal('addressMap' in empty, false)
      })
    })

    void it('lists page by page, sorted by id, with the total', async () => {
      await withStore(ctx, async (store) => {
        const ids = Array.from({ length: 7 }, (_, i) => `r-${String(6 - i).padStart(2, '0')}`)
        for (const instanceId of ids) {
          await store.instances.add({ instanceId, topology: 'standalone', endpoints: ['h:1'] })
        }
        const pages = []
        for (let page = 1; page <= 3; page++) {
          const { total, items } = await store.instances.list({ page, pageSize: 3 })
          assert.equal(total, 7)
          pages.push(items.map((i) => i.instanceId))
        }
        assert.deepEqual(pages, [['r-00', 'r-01', 'r-02'], ['r-03', 'r-04', 'r-05'], ['r-06']])
        assert.deepEqual(await store.instances.list({ page: 4, pageSize: 3 }), {
          total: 7,
          items: [],
        })
        for (const [page, pageSize] of [
          [0, 3],
          [1, 0],
          [1, 1001],
          [1.5, 3],
        ] as const) {
          await rejectsWith(store.instances.list({ page, pageSize }), 'StoreInvalidInput')
        }
      })
    })

    void it('deletes an instance with its aliases and history, not others’', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add({ instanceId: 'r-a', topology: 'standalone', endpoints: ['h:1'] })
        await store.instances.add({ instanceId: 'r-b', topology: 'standalone', endpoints: ['h:2'] })
        await store.aliases.set('10.0.0.0/8', 'a net', 'r-a')
        await store.aliases.set('10.0.0.0/8', 'b net', 'r-b')
        await store.aliases.set('0.0.0.0/0', 'anything', null)
        const point = { time: 1000, groupBy: 'total' as const, key: '', count: 3, active: 1 }
        await store.history.insertPoints([
          { ...point, instanceId: 'r-a' },
          { ...point, instanceId: 'r-b' },
        ])
        await store.instances.delete('r-a')
        assert.equal(await store.instances.get('r-a'), undefined)
        await rejectsWith(store.instances.delete('r-a'), 'StoreNotFound', 'instance')
        assert.deepEqual(
          (await store.aliases.list()).map((a) => a.description),
          ['anything', 'b net']
        )
        const q = { from: 0, to: 2000, groupBy: 'total' as const }
        assert.deepEqual(await store.history.query({ ...q, instanceId: 'r-a' }), [])
        assert.equal((await store.history.query({ ...q, instanceId: 'r-b' })).length, 1)
      })
    })
  })
}
