import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

/** store.aliases */
export function aliasContract(ctx: ContractContext): void {
  void describe('aliases', () => {
    void it('sets global and per-instance aliases and lists them by scope', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add({ instanceId: 'r-a', topology: 'standalone', endpoints: ['h:1'] })
        await store.instances.add({ instanceId: 'r-b', topology: 'standalone', endpoints: ['h:2'] })
        assert.deepEqual(await store.aliases.set('10.0.0.0/8', 'office', null), {
          cidr: '10.0.0.0/8',
          description: 'office',
          instanceId: null,
        })
        // The same CIDR may exist once per scope.
        await store.aliases.set('10.0.0.0/8', 'app servers', 'r-a')
        await store.aliases.set('fd00::/8', 'v6 apps', 'r-b')
        await store.aliases.set('172.16.1.2', 'prod ip', 'r-a')

        const all = await store.aliases.list()
        assert.deepEqual(
          all.map((a) => [a.instanceId, a.cidr, a.description]),
          [
            [null, '10.0.0.0/8', 'office'],
            ['r-a', '10.0.0.0/8', 'app servers'],
            ['r-a', '172.16.1.2', 'prod ip'],
            ['r-b', 'fd00::/8', 'v6 apps'],
          ]
        )
        assert.deepEqual(
          (await store.aliases.list(null)).map((a) => a.description),
          ['office']
        )
        assert.deepEqual(
          (await store.aliases.list('r-a')).map((a) => a.description),
          ['office', 'app servers', 'prod ip']
        )
        assert.deepEqual(
          (await store.aliases.list('r-none')).map((a) => a.description),
          ['office']
        )
      })
    })

    void it('replaces the description of an existing alias (upsert)', async () => {
      await withStore(ctx, async (store) => {
        await store.aliases.set('192.168.0.0/16', 'old', null)
        await store.aliases.set('192.168.0.0/16', 'new', null)
        assert.deepEqual(await store.aliases.list(), [
          { cidr: '192.168.0.0/16', description: 'new', instanceId: null },
        ])
      })
    })

    void it('refuses an unknown instance scope and an empty CIDR', async () => {
      await withStore(ctx, async (store) => {
        await rejectsWith(store.aliases.set('10.0.0.1', 'x', 'r-none'), 'StoreNotFound', 'instance')
        await rejectsWith(store.aliases.set('', 'x', null), 'StoreInvalidInput')
        assert.deepEqual(await store.aliases.list(), [])
      })
    })

    void it('deletes within one scope and reports whether it did', async () => {
      await withStore(ctx, async (store) => {
        await store.instances.add({ instanceId: 'r-a', topology: 'standalone', endpoints: ['h:1'] })
        await store.aliases.set('10.0.0.0/8', 'global', null)
        await store.aliases.set('10.0.0.0/8', 'scoped', 'r-a')
        assert.equal(await store.aliases.delete('10.0.0.0/8', 'r-a'), true)
        assert.equal(await store.aliases.delete('10.0.0.0/8', 'r-a'), false)
        assert.deepEqual(
          (await store.aliases.list()).map((a) => a.description),
          ['global']
        )
        assert.equal(await store.aliases.delete('10.0.0.0/8', null), true)
        assert.deepEqual(await store.aliases.list(), [])
      })
    })
  })
}
