import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditEvent } from '../../../src/store/store.ts'
import { type ContractContext, rejectsWith, withStore } from './context.ts'

function event(i: number, patch: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: 1000 + i * 10,
    requestId: `REQ-${i}`,
    userName: i % 2 === 0 ? 'alice' : 'bob',
    accessKeyId: `LTAI${i}`,
    sourceIp: '127.0.0.1',
    action: i % 3 === 0 ? 'KillRedisSessions' : 'AddRedisInstance',
    instanceId: i % 4 === 0 ? 'r-a' : 'r-b',
    result: 'Success',
    detail: { i },
    ...patch,
  }
}

/** store.audit */
export function auditContract(ctx: ContractContext): void {
  void describe('audit', () => {
    void it('round-trips an event, including nested detail and no instance', async () => {
      await withStore(ctx, async (store) => {
        const full = event(1, {
          detail: { killed: 2, sessions: [{ NodeId: 'n#1', Id: 7 }], dryRun: false, note: null },
        })
        const { instanceId: _i, ...bare } = event(2, { result: 'NoPermission' })
        await store.audit.append(full)
        await store.audit.append(bare)
        const { total, events } = await store.audit.query({ pageNumber: 1, pageSize: 10 })
        assert.equal(total, 2)
        assert.deepEqual(events, [bare, full])
        assert.equal('instanceId' in (events[0] ?? {}), false)
      })
    })

    void it('filters by time range, user, action and instance, newest first', async () => {
      await withStore(ctx, async (store) => {
        for (let i = 0; i < 12; i++) await store.audit.append(event(i))
        const ids = async (q: Omit<Parameters<typeof store.audit.query>[0], 'pageNumber'>) =>
          (await store.audit.query({ pageNumber: 1, ...q })).events.map((e) => e.requestId)
        assert.deepEqual(await ids({ pageSize: 3 }), ['REQ-11', 'REQ-10', 'REQ-9'])
        assert.deepEqual(await ids({ pageSize: 50, from: 1030, to: 1050 }), [
          'REQ-5',
          'REQ-4',
          'REQ-3',
        ])
        assert.deepEqual(await ids({ pageSize: 50, userName: 'bob', from: 1060 }), [
          'REQ-11',
          'REQ-9',
          'REQ-7',
        ])
        assert.deepEqual(await ids({ pageSize: 50, action: 'KillRedisSessions' }), [
          'REQ-9',
          'REQ-6',
          'REQ-3',
          'REQ-0',
        ])
        assert.deepEqual(await ids({ pageSize: 50, instanceId: 'r-a', userName: 'alice' }), [
          'REQ-8',
          'REQ-4',
          'REQ-0',
        ])
        const none = await store.audit.query({ pageNumber: 1, pageSize: 5, userName: 'carol' })
        assert.deepEqual(none, { total: 0, events: [] })
      })
    })

    void it('pages with a total that ignores the page, ties broken by append order', async () => {
      await withStore(ctx, async (store) => {
        for (let i = 0; i < 5; i++) await store.audit.append(event(i, { time: 5000 }))
        const pages = []
        for (let pageNumber = 1; pageNumber <= 3; pageNumber++) {
          const page = await store.audit.query({ pageNumber, pageSize: 2, from: 5000 })
          assert.equal(page.total, 5)
          pages.push(page.events.map((e) => e.requestId))
        }
        assert.deepEqual(pages, [['REQ-4', 'REQ-3'], ['REQ-2', 'REQ-1'], ['REQ-0']])
        await rejectsWith(store.audit.query({ pageNumber: 0, pageSize: 2 }), 'StoreInvalidInput')
        await rejectsWith(
          store.audit.query({ pageNumber: 1, pageSize: 2, from: 1.5 }),
          'StoreInvalidInput'
        )
        await rejectsWith(store.audit.query({ pageNumber: 1, pageSize: 5000 }), 'StoreInvalidInput')
      })
    })

    void it('keeps events of users that are later deleted', async () => {
      await withStore(ctx, async (store) => {
        await store.users.create('alice')
        await store.audit.append(event(0))
        await store.users.delete('alice')
        assert.equal((await store.audit.query({ pageNumber: 1, pageSize: 5 })).total, 1)
      })
    })
  })
}
