import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AuditEvent } from '../../src/store/store.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

const T0 = Date.UTC(2020, 0, 1)
const RANGE = { StartTime: String(T0), EndTime: String(T0 + 60_000) }

/** Seven events one second apart: users alternate, every third is AddRedisInstance without instance. */
const EVENTS: AuditEvent[] = Array.from({ length: 7 }, (_, i) => ({
  time: T0 + i * 1000,
  requestId: `REQ-${i}`,
  userName: i % 2 === 0 ? 'alice' : 'bob',
  accessKeyId: `LTAI-${i % 2}`,
  sourceIp: `10.0.0.${i}`,
  action: i % 3 === 2 ? 'AddRedisInstance' : 'KillRedisSessions',
  ...(i % 3 === 2 ? {} : { instanceId: 'r-audit' }),
  result: i === 4 ? 'NoPermission' : 'Success',
  detail: { index: i, dryRun: i === 1 },
}))

interface Page {
  Total: number
  PageNumber: number
  PageSize: number
  requestIds: string[]
}

void describe('DescribeAuditLog', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const call = (params: Record<string, string>, key = t().admin) =>
    signedInject(t().app, { action: 'DescribeAuditLog', params, ...key })
  const page = async (params: Record<string, string>): Promise<Page> => {
    const data = dataOf(await call(params))
    assert.ok(isJsonObject(data))
    assert.deepEqual(Object.keys(data).sort(), ['Events', 'PageNumber', 'PageSize', 'Total'])
    const { Total, PageNumber, PageSize, Events } = data
    assert.ok(typeof Total === 'number' && typeof PageNumber === 'number')
    assert.ok(typeof PageSize === 'number' && Array.isArray(Events))
    const requestIds = Events.map((event: unknown) => {
      assert.ok(isJsonObject(event))
      return String(event['RequestId'])
    })
    return { Total, PageNumber, PageSize, requestIds }
  }

  before(async () => {
    test = await createTestApp()
    for (const event of EVENTS) await test.store.audit.append(event)
  })
  after(async () => {
    await test?.close()
  })

  void it('answers every field of each event, newest first', async () => {
    const data = dataOf(await call({ ...RANGE, PageSize: '100' }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Events']))
    assert.equal(data['Total'], 7)
    const events: unknown[] = data['Events']
    const [newest, , , , oldestAddInstance] = events
    assert.deepEqual(newest, {
      Time: T0 + 6000,
      RequestId: 'REQ-6',
      User: 'alice',
      AccessKeyId: 'LTAI-0',
      SourceIp: '10.0.0.6',
      Action: 'KillRedisSessions',
      InstanceId: 'r-audit',
      Result: 'Success',
      Detail: { index: 6, dryRun: false },
    })
    assert.ok(isJsonObject(oldestAddInstance))
    assert.deepEqual(
      [oldestAddInstance['RequestId'], oldestAddInstance['InstanceId']],
      ['REQ-2', '']
    )
  })

  void it('pages with PageNumber and PageSize, 30 by default', async () => {
    const all = ['REQ-6', 'REQ-5', 'REQ-4', 'REQ-3', 'REQ-2', 'REQ-1', 'REQ-0']
    const pages = await Promise.all(
      [1, 2, 3, 4].map((n) => page({ ...RANGE, PageSize: '3', PageNumber: String(n) }))
    )
    assert.deepEqual(
      pages.map((p) => p.requestIds),
      [all.slice(0, 3), all.slice(3, 6), all.slice(6), []]
    )
    assert.ok(pages.every((p) => p.Total === 7 && p.PageSize === 3))
    assert.deepEqual(
      pages.map((p) => p.PageNumber),
      [1, 2, 3, 4]
    )
    const first = await page(RANGE)
    assert.deepEqual([first.PageNumber, first.PageSize, first.requestIds], [1, 30, all])
  })

  void it('keeps events within StartTime..EndTime inclusive, in ms or ISO 8601', async () => {
    const iso = new Date(T0 + 4000).toISOString()
    const within = await page({ StartTime: String(T0 + 2000), EndTime: iso })
    assert.deepEqual(within.requestIds, ['REQ-4', 'REQ-3', 'REQ-2'])
    assert.equal(within.Total, 3)
  })

  void it('filters by User, ActionName and InstanceId', async () => {
    assert.deepEqual((await page({ ...RANGE, User: 'bob' })).requestIds, [
      'REQ-5',
      'REQ-3',
      'REQ-1',
    ])
    const adds = await page({ ...RANGE, ActionName: 'AddRedisInstance' })
    assert.deepEqual(adds.requestIds, ['REQ-5', 'REQ-2'])
    const both = await page({ ...RANGE, User: 'alice', InstanceId: 'r-audit' })
    assert.deepEqual(both.requestIds, ['REQ-6', 'REQ-4', 'REQ-0'])
  })

  void it('refuses a reversed range, PageSize over 100 and malformed times', async () => {
    const reversed = await call({ StartTime: String(T0 + 1), EndTime: String(T0) })
    assert.match(assertApiError(reversed, 'InvalidParams', 400), /EndTime is before StartTime/)
    assertApiError(await call({ PageSize: '101' }), 'InvalidParams', 400)
    assertApiError(await call({ PageNumber: '0' }), 'InvalidParams', 400)
    assert.match(
      assertApiError(await call({ StartTime: 'yesterday' }), 'InvalidParams', 400),
      /StartTime/
    )
    assertApiError(await call({ Action2: 'x' }), 'InvalidParams', 400)
  })

  void it('needs hdm:DescribeAuditLog on *, and reading the log is not itself logged', async () => {
    const reader = await createUserWithPolicy(t().store, 'reader', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:GetRedisAllSession', Resource: '*' }],
    })
    assertApiError(await call(RANGE, reader), 'NoPermission', 403)
    const scoped = await createUserWithPolicy(t().store, 'scoped', {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'hdm:DescribeAuditLog',
          Resource: 'acs:hdm:*:*:instance/r-audit',
        },
      ],
    })
    assertApiError(await call(RANGE, scoped), 'NoPermission', 403)
    const auditor = await createUserWithPolicy(t().store, 'auditor', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:DescribeAuditLog', Resource: '*' }],
    })
    const everything = { StartTime: '0', PageSize: '100' }
    const before = dataOf(await call(everything, auditor))
    const again = dataOf(await call(everything, auditor))
    assert.ok(isJsonObject(before) && isJsonObject(again))
    assert.equal(again['Total'], before['Total'])
  })
})
