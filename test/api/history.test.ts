import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { HistoryGroupBy, HistoryPoint } from '../../src/store/store.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-hist-api'
const MIN = 60_000
const HOUR = 60 * MIN
/**
 * The server's clock in this test: fixed, on a 10-minute boundary, and within the 15 minutes
 * of real time that signature verification accepts.
 */
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN

function point(time: number, groupBy: HistoryGroupBy, key: string, count: number): HistoryPoint {
  return { instanceId: INSTANCE, time, groupBy, key, count, active: Math.floor(count / 2) }
}

/** A sample as the sampler writes it: the total and the sources. */
function sample(time: number, sources: Record<string, number>): HistoryPoint[] {
  const total = Object.values(sources).reduce((a, b) => a + b, 0)
  return [
    point(time, 'total', '', total),
    ...Object.entries(sources).map(([key, count]) => point(time, 'source', key, count)),
  ]
}

void describe('DescribeRedisSessionHistory', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const call = (params: Record<string, string>, key = t().admin) =>
    signedInject(t().app, {
      action: 'DescribeRedisSessionHistory',
      params: { InstanceId: INSTANCE, ...params },
      ...key,
    })
  const points = async (params: Record<string, string>): Promise<unknown[]> => {
    const data = dataOf(await call(params))
    assert.ok(isJsonObject(data) && Array.isArray(data['Points']))
    assert.deepEqual(Object.keys(data), ['Points'])
    const list: unknown[] = data['Points']
    return list
  }

  before(async () => {
    test = await createTestApp({ services: { now: () => new Date(NOW) } })
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: ['127.0.0.1:1'],
    })
    await test.store.history.insertPoints([
      ...sample(NOW - 7 * HOUR, { '10.0.0.1': 9 }),
      ...sample(NOW - 2 * HOUR, { '10.0.0.1': 3, '10.0.0.2': 1 }),
      ...sample(NOW - HOUR, { '10.0.0.2': 4, '10.0.0.1': 4, '10.0.0.3': 6 }),
      ...sample(NOW - MIN, {}),
    ])
  })
  after(async () => {
    await test?.close()
  })

  void it('answers the last 6 h by default, with Total, Active and sorted Groups', async () => {
    assert.deepEqual(await points({ GroupBy: 'source' }), [
      {
        Timestamp: NOW - 2 * HOUR,
        Total: 4,
        Active: 2,
        Groups: [
          { Key: '10.0.0.1', Count: 3, Active: 1 },
          { Key: '10.0.0.2', Count: 1, Active: 0 },
        ],
      },
      {
        Timestamp: NOW - HOUR,
        Total: 14,
        Active: 7,
        Groups: [
          { Key: '10.0.0.3', Count: 6, Active: 3 },
          { Key: '10.0.0.1', Count: 4, Active: 2 },
          { Key: '10.0.0.2', Count: 4, Active: 2 },
        ],
      },
      { Timestamp: NOW - MIN, Total: 0, Active: 0, Groups: [] },
    ])
  })

  void it('gives empty Groups for total and zeros for a Key absent from a sample', async () => {
    const range = { StartTime: String(NOW - 8 * HOUR), EndTime: new Date(NOW).toISOString() }
    const totals = await points({ ...range })
    assert.deepEqual(
      totals.map((p: unknown) => (isJsonObject(p) ? [p['Total'], p['Groups']] : p)),
      [
        [9, []],
        [4, []],
        [14, []],
        [0, []],
      ]
    )
    const one = await points({ ...range, GroupBy: 'source', Key: '10.0.0.2' })
    assert.deepEqual(
      one.map((p: unknown) => (isJsonObject(p) ? p['Groups'] : p)),
      [
        [{ Key: '10.0.0.2', Count: 0, Active: 0 }],
        [{ Key: '10.0.0.2', Count: 1, Active: 0 }],
        [{ Key: '10.0.0.2', Count: 4, Active: 2 }],
        [{ Key: '10.0.0.2', Count: 0, Active: 0 }],
      ]
    )
  })

  void it('lists the others group for a Key a sample folded into others (beyond its top 50)', async () => {
    const folded = 'r-history-folded'
    await t().store.instances.add({
      instanceId: folded,
      topology: 'standalone',
      endpoints: ['127.0.0.1:1'],
    })
    await t().store.history.insertPoints([
      // 10.0.0.9 kept in the first sample; folded with others in the second; none in the third.
      ...sample(NOW - 3 * HOUR, { '10.0.0.9': 2, others: 5 }).map((p) => ({
        ...p,
        instanceId: folded,
      })),
      ...sample(NOW - 2 * HOUR, { '10.0.0.1': 7, others: 3 }).map((p) => ({
        ...p,
        instanceId: folded,
      })),
      ...sample(NOW - HOUR, { '10.0.0.1': 1 }).map((p) => ({ ...p, instanceId: folded })),
    ])
    const range = { StartTime: String(NOW - 4 * HOUR), EndTime: String(NOW) }
    const groups = await points({
      ...range,
      InstanceId: folded,
      GroupBy: 'source',
      Key: '10.0.0.9',
    })
    assert.deepEqual(
      groups.map((p: unknown) => (isJsonObject(p) ? p['Groups'] : p)),
      [
        [{ Key: '10.0.0.9', Count: 2, Active: 1 }],
        [{ Key: 'others', Count: 3, Active: 1 }],
        [{ Key: '10.0.0.9', Count: 0, Active: 0 }],
      ]
    )
  })

  void it('thins samples older than 24 h to the latest one per 10 minutes', async () => {
    const old = NOW - 30 * HOUR // on a 10-minute boundary, like NOW
    const minutes = Array.from({ length: 25 }, (_, i) => old + i * MIN)
    await t().store.history.insertPoints(minutes.flatMap((time, i) => sample(time, { a: i })))
    const got = await points({ StartTime: String(old), EndTime: String(old + 30 * MIN) })
    assert.deepEqual(
      got.map((p: unknown) =>
        isJsonObject(p) ? [(Number(p['Timestamp']) - old) / MIN, p['Total']] : p
      ),
      [
        [9, 9],
        [19, 19],
        [24, 24],
      ]
    )
  })

  void it('answers an empty list for a range in the future or without samples', async () => {
    assert.deepEqual(
      await points({ StartTime: String(NOW + HOUR), EndTime: String(NOW + 2 * HOUR) }),
      []
    )
    assert.deepEqual(await points({ StartTime: '0', EndTime: '1000' }), [])
  })

  void it('refuses reversed ranges and bad parameters with InvalidParams', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ StartTime: String(NOW), EndTime: String(NOW - 1) }, /StartTime must not be after EndTime/],
      [{ StartTime: String(NOW + HOUR) }, /StartTime is in the future/],
      [{ StartTime: 'yesterday' }, /StartTime must be ms since the epoch or an ISO 8601/],
      [{ EndTime: '2026-03-01 12:00' }, /EndTime must be/],
      [{ GroupBy: 'ip' }, /GroupBy must be one of total, source, node, name, user/],
      [{ Key: 'x' }, /Key needs a GroupBy other than total/],
      [{ Bogus: '1' }, /no parameter Bogus/],
    ]
    for (const [params, reason] of cases) {
      assert.match(assertApiError(await call(params), 'InvalidParams', 400), reason)
    }
  })

  void it('answers InvalidInstanceId.NotFound for an unknown instance', async () => {
    const response = await call({ InstanceId: 'r-nowhere' })
    assertApiError(response, 'InvalidInstanceId.NotFound', 404)
  })

  void it('authorizes hdm:DescribeRedisSessionHistory on the instance ARN', async () => {
    const key = await createUserWithPolicy(t().store, 'hist-reader', {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'hdm:DescribeRedisSessionHistory',
          Resource: `acs:hdm:*:*:instance/${INSTANCE}`,
        },
      ],
    })
    dataOf(await call({}, key))
    assertApiError(await call({ InstanceId: 'r-other' }, key), 'NoPermission', 403)
  })
})
