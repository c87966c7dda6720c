import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

void describe('SetRedisClientAlias / DescribeRedisClientAliases / DeleteRedisClientAlias', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const call = (action: string, params: Record<string, string>, key = t().admin) =>
    signedInject(t().app, { action, params, ...key })
  const aliases = async (params: Record<string, string> = {}): Promise<unknown[]> => {
    const data = dataOf(await call('DescribeRedisClientAliases', params))
    assert.ok(isJsonObject(data) && Array.isArray(data['Aliases']))
    const list: unknown[] = data['Aliases']
    return list
  }

  before(async () => {
    test = await createTestApp()
    for (const instanceId of ['r-alias-a', 'r-alias-b']) {
      await test.store.instances.add({
        instanceId,
        topology: 'standalone',
        endpoints: ['127.0.0.1:1'],
      })
    }
  })
  after(async () => {
    await test?.close()
  })

  void it('stores the canonical CIDR and answers {Cidr, Description, InstanceId}', async () => {
    const global = await call('SetRedisClientAlias', { Cidr: '10.0.0.7', Description: 'db ops' })
    assert.deepEqual(dataOf(global), {
      Cidr: '10.0.0.7/32',
      Description: 'db ops',
      InstanceId: '',
    })
    const scoped = await call('SetRedisClientAlias', {
      Cidr: '2001:DB8:0::/32',
      Description: 'prod v6',
      InstanceId: 'r-alias-a',
    })
    assert.deepEqual(dataOf(scoped), {
      Cidr: '2001:db8::/32',
      Description: 'prod v6',
      InstanceId: 'r-alias-a',
    })
    // Another spelling of the same network replaces the description.
    dataOf(await call('SetRedisClientAlias', { Cidr: '10.0.0.7/32', Description: 'db team' }))
    assert.deepEqual(await aliases(), [
      { Cidr: '10.0.0.7/32', Description: 'db team', InstanceId: '' },
      { Cidr: '2001:db8::/32', Description: 'prod v6', InstanceId: 'r-alias-a' },
    ])
    assert.deepEqual(
      await aliases({ InstanceId: 'r-alias-b' }),
      [{ Cidr: '10.0.0.7/32', Description: 'db team', InstanceId: '' }],
      'an instance sees its own aliases and the global ones'
    )
  })

  void it('refuses bad CIDRs and descriptions with the reason in Detail', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ Cidr: '10.0.0.1/8', Description: 'x' }, /host bits are set; did you mean 10\.0\.0\.0\/8/],
      [{ Cidr: '10.0.0.256', Description: 'x' }, /not an IPv4 or IPv6 address/],
      [{ Cidr: '10.0.0.0/33', Description: 'x' }, /prefix length/],
      [{ Cidr: 'fe80::1%eth0', Description: 'x' }, /not an IPv4 or IPv6/],
      [{ Description: 'x' }, /Cidr is required/],
      [{ Cidr: '10.0.0.0/8', Description: '' }, /Description is required/],
      [{ Cidr: '10.0.0.0/8', Description: 'é'.repeat(129) }, /longer than 128/],
      [{ Cidr: '10.0.0.0/8', Description: 'a\nb' }, /control characters/],
      [{ Cidr: '10.0.0.0/8', Description: 'x', InstanceId: 'R_BAD' }, /InstanceId must match/],
    ]
    for (const [params, reason] of cases) {
      const detail = assertApiError(await call('SetRedisClientAlias', params), 'InvalidParams', 400)
      assert.match(detail, reason, JSON.stringify(params))
    }
    dataOf(await call('SetRedisClientAlias', { Cidr: '10.0.0.0/8', Description: 'é'.repeat(128) }))
  })

  void it('answers InvalidInstanceId.NotFound for an unknown instance', async () => {
    const params = { Cidr: '10.0.0.0/8', Description: 'x', InstanceId: 'r-nowhere' }
    assertApiError(await call('SetRedisClientAlias', params), 'InvalidInstanceId.NotFound', 404)
    assertApiError(
      await call('DescribeRedisClientAliases', { InstanceId: 'r-nowhere' }),
      'InvalidInstanceId.NotFound',
      404
    )
  })

  void it('deletes by any spelling of the network, per scope; EntityNotExist when absent', async () => {
    const scoped = { Cidr: '192.168.0.0/16', Description: 'lab', InstanceId: 'r-alias-b' }
    dataOf(await call('SetRedisClientAlias', scoped))
    // The same network in the global scope is another alias.
    const missing = await call('DeleteRedisClientAlias', { Cidr: '192.168.0.0/16' })
    assert.match(assertApiError(missing, 'EntityNotExist', 404), /no global alias/)
    const deleted = await call('DeleteRedisClientAlias', {
      Cidr: '::ffff:192.168.0.0/112',
      InstanceId: 'r-alias-b',
    })
    assert.equal(dataOf(deleted), 'None')
    const again = await call('DeleteRedisClientAlias', {
      Cidr: '192.168.0.0/16',
      InstanceId: 'r-alias-b',
    })
    assertApiError(again, 'EntityNotExist', 404)
  })

  void it('writes Set and Delete to the audit log, success and failure', async () => {
    const params = { Cidr: '172.16.0.0/12', Description: 'vpn', InstanceId: 'r-alias-a' }
    dataOf(await call('SetRedisClientAlias', params))
    dataOf(await call('DeleteRedisClientAlias', { Cidr: '172.16.0.0/12', InstanceId: 'r-alias-a' }))
    await call('DeleteRedisClientAlias', { Cidr: '172.16.0.0/12', InstanceId: 'r-alias-a' })
    const { events } = await t().store.audit.query({
      instanceId: 'r-alias-a',
      pageNumber: 1,
      pageSize: 10,
    })
    const lines = events.slice(0, 3).map((e) => [e.action, e.result, e.detail['cidr'] ?? null])
    assert.deepEqual(lines, [
      ['DeleteRedisClientAlias', 'EntityNotExist', null],
      ['DeleteRedisClientAlias', 'Success', '172.16.0.0/12'],
      ['SetRedisClientAlias', 'Success', '172.16.0.0/12'],
    ])
    const { total } = await t().store.audit.query({
      action: 'DescribeRedisClientAliases',
      pageNumber: 1,
      pageSize: 1,
    })
    assert.equal(total, 0, 'reading is not audited')
  })

  void it('authorizes on the instance ARN, and on * for global aliases', async () => {
    const key = await createUserWithPolicy(t().store, 'alias-team', {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['hdm:SetRedisClientAlias', 'hdm:DescribeRedisClientAliases'],
          Resource: 'acs:hdm:*:*:instance/r-alias-a',
        },
      ],
    })
    const own = { Cidr: '10.9.0.0/16', Description: 'team', InstanceId: 'r-alias-a' }
    dataOf(await call('SetRedisClientAlias', own, key))
    dataOf(await call('DescribeRedisClientAliases', { InstanceId: 'r-alias-a' }, key))
    const other = { ...own, InstanceId: 'r-alias-b' }
    assertApiError(await call('SetRedisClientAlias', other, key), 'NoPermission', 403)
    const global = { Cidr: '10.9.0.0/16', Description: 'team' }
    assertApiError(await call('SetRedisClientAlias', global, key), 'NoPermission', 403)
    assertApiError(await call('DescribeRedisClientAliases', {}, key), 'NoPermission', 403)
    assertApiError(
      await call('DeleteRedisClientAlias', { Cidr: '10.9.0.0/16', InstanceId: 'r-alias-a' }, key),
      'NoPermission',
      403
    )
  })
})
