// DescribeCallerPermissions: the caller's own policies decide each check exactly as they decide
// real calls — same engine, same request context (source IP, HTTPS via a trusted proxy, time) —
// without any RAM grant, without an audit row, and at most 50 checks per call.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashPassword } from '../../src/store/password-hash.ts'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type InjectedResponse,
} from './support/signed-inject.ts'
import {
  createTestApp,
  createUserWithPolicy,
  type TestApp,
  type TestCredentials,
} from './support/test-app.ts'

const ARN = (id: string) => `acs:hdm:*:*:instance/${id}`

const OPERATOR_POLICY = {
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['hdm:Get*', 'hdm:Describe*'], Resource: '*' },
    { Effect: 'Allow', Action: 'hdm:KillRedisSessions', Resource: ARN('team-a-*') },
    { Effect: 'Deny', Action: 'hdm:KillRedisSessions', Resource: ARN('team-a-payments') },
    {
      Effect: 'Allow',
      Action: 'hdm:SetRedisClientAlias',
      Resource: '*',
      Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
    },
    {
      Effect: 'Allow',
      Action: 'hdm:DeleteRedisClientAlias',
      Resource: '*',
      Condition: { Bool: { 'acs:SecureTransport': true } },
    },
  ],
}

interface Result {
  Action: string
  Resource: string
  Allowed: boolean
  Reason?: string
}

void describe('DescribeCallerPermissions', () => {
  let t: TestApp
  let operator: TestCredentials
  let nobody: TestCredentials

  const ask = (
    as: TestCredentials & { securityToken?: string },
    params: Record<string, string>,
    extra: { remoteAddress?: string; headers?: Record<string, string> } = {}
  ) => signedInject(t.app, { action: 'DescribeCallerPermissions', params, ...as, ...extra })

  const resultsOf = (response: InjectedResponse): Result[] => {
    const data = dataOf(response)
    assert.ok(isJsonObject(data))
    const results = data['Results']
    assert.ok(Array.isArray(results))
    return results as Result[]
  }
  const allowed = (results: readonly Result[]) => results.map((result) => result.Allowed)

  before(async () => {
    t = await createTestApp({ trustedProxies: ['127.0.0.1'] })
    operator = await createUserWithPolicy(t.store, 'operator', OPERATOR_POLICY)
    await t.store.users.create('nobody', await hashPassword('nobody-password-1'))
    nobody = await t.store.accessKeys.create('nobody')
  })
  after(async () => {
    await t.close()
  })

  it('allows, denies implicitly and explicitly, per instance, with the reason', async () => {
    const checks = [
      { Action: 'hdm:GetRedisAllSession' },
      { Action: 'hdm:KillRedisSessions' },
      { Action: 'hdm:KillRedisSessions', Resource: ARN('team-a-payments') },
      { Action: 'hdm:KillRedisSessions', Resource: ARN('team-b-cache') },
      { Action: 'hdm:KillInstanceAllSession' },
      { Action: 'hdm:AddRedisInstance', Resource: '*' },
    ]
    const results = resultsOf(
      await ask(operator, { InstanceId: 'team-a-cache', Checks: JSON.stringify(checks) })
    )
    assert.deepEqual(
      results.map(({ Resource }) => Resource),
      [
        ARN('team-a-cache'),
        ARN('team-a-cache'),
        ARN('team-a-payments'),
        ARN('team-b-cache'),
        ARN('team-a-cache'),
        '*',
      ]
    )
    assert.deepEqual(allowed(results), [true, true, false, false, false, false])
    assert.equal(results[0]?.Reason, undefined)
    assert.equal(
      results[2]?.Reason,
      `policy operator-policy denies hdm:KillRedisSessions on ${ARN('team-a-payments')} (ExplicitDeny)`
    )
    assert.equal(
      results[3]?.Reason,
      `no attached policy allows hdm:KillRedisSessions on ${ARN('team-b-cache')} (ImplicitDeny)`
    )
    // Without InstanceId a check without Resource asks about `*`.
    const unscoped = resultsOf(
      await ask(operator, { Checks: '[{"Action":"hdm:DescribeRedisInstances"}]' })
    )
    assert.deepEqual(unscoped, [
      { Action: 'hdm:DescribeRedisInstances', Resource: '*', Allowed: true },
    ])
  })

  it('agrees with what the real calls answer', async () => {
    const [payments, cache] = resultsOf(
      await ask(operator, {
        Checks: JSON.stringify([
          { Action: 'hdm:KillRedisSessions', Resource: ARN('team-a-payments') },
          { Action: 'hdm:DeleteRedisInstance', Resource: ARN('team-a-cache') },
        ]),
      })
    )
    assert.equal(payments?.Allowed, false)
    assert.equal(cache?.Allowed, false)
    const kill = await signedInject(t.app, {
      action: 'KillRedisSessions',
      params: { InstanceId: 'team-a-payments', Name: 'x', DryRun: 'true' },
      ...operator,
    })
    assertApiError(kill, 'NoPermission', 403)
    const remove = await signedInject(t.app, {
      action: 'DeleteRedisInstance',
      params: { InstanceId: 'team-a-cache' },
      ...operator,
    })
    assertApiError(remove, 'NoPermission', 403)
  })

  it('evaluates conditions in the request context: source IP and HTTPS', async () => {
    const checks = JSON.stringify([
      { Action: 'hdm:SetRedisClientAlias' },
      { Action: 'hdm:DeleteRedisClientAlias' },
    ])
    // The socket peer is a trusted proxy (127.0.0.1); the client is the X-Forwarded-For address.
    const from = (address: string, proto = 'http') =>
      ask(
        operator,
        { Checks: checks },
        { headers: { 'x-forwarded-for': address, 'x-forwarded-proto': proto } }
      )
    assert.deepEqual(allowed(resultsOf(await from('10.4.5.6'))), [true, false])
    assert.deepEqual(allowed(resultsOf(await from('192.0.2.9'))), [false, false])
    assert.deepEqual(allowed(resultsOf(await from('192.0.2.9', 'https'))), [false, true])
    // Directly from a peer that is no proxy: its own address counts, forwarded headers do not.
    const direct = await ask(
      operator,
      { Checks: checks },
      { remoteAddress: '10.9.9.9', headers: { 'x-forwarded-proto': 'https' } }
    )
    assert.deepEqual(allowed(resultsOf(direct)), [true, false])
  })

  it('needs no RAM grant (a user without policies learns it may do nothing), console credentials too', async () => {
    const results = resultsOf(
      await ask(nobody, { Checks: '[{"Action":"hdm:GetRedisAllSession","Resource":"*"}]' })
    )
    assert.deepEqual(allowed(results), [false])
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ UserName: 'nobody', Password: 'nobody-password-1' }),
    })
    assert.equal(signIn.statusCode, 200, signIn.body)
    const temporary = JSON.parse(signIn.body) as Record<string, string>
    const console = await ask(
      {
        accessKeyId: temporary['AccessKeyId'] ?? '',
        accessKeySecret: temporary['AccessKeySecret'] ?? '',
        securityToken: temporary['SecurityToken'] ?? '',
      },
      { Checks: '[{"Action":"hdm:GetRedisAllSession"}]' }
    )
    assert.deepEqual(allowed(resultsOf(console)), [false])
  })

  it('refuses every check when an attached policy no longer parses (fails closed)', async () => {
    await t.store.users.create('broken')
    await t.store.policies.create('broken-policy', '{"Version":"1","Statement":[{}]}', 'broken')
    await t.store.policies.attach('broken-policy', 'broken')
    const key = await t.store.accessKeys.create('broken')
    const [result] = resultsOf(await ask(key, { Checks: '[{"Action":"hdm:GetRedisAllSession"}]' }))
    assert.equal(result?.Allowed, false)
    assert.match(result?.Reason ?? '', /^attached policy broken-policy is invalid/)
  })

  it('is not audited', async () => {
    const before = await t.store.audit.query({ pageNumber: 1, pageSize: 100 })
    resultsOf(await ask(operator, { Checks: '[{"Action":"hdm:KillRedisSessions"}]' }))
    const afterwards = await t.store.audit.query({ pageNumber: 1, pageSize: 100 })
    assert.equal(afterwards.total, before.total)
  })

  it('answers InvalidParams for a missing, malformed or too long list of checks', async () => {
    const refused = async (params: Record<string, string>, pattern: RegExp) =>
      assert.match(assertApiError(await ask(operator, params), 'InvalidParams', 400), pattern)
    await refused({}, /Checks is required/)
    await refused({ Checks: 'nope' }, /Checks is not valid JSON/)
    await refused({ Checks: '[{"Action":"hdm:*"}]' }, /Checks\[0\]\.Action/)
    await refused({ Checks: '[{"Action":"hdm:A"}]', InstanceId: 'Bad Id' }, /InstanceId must/)
    const many = JSON.stringify(Array(51).fill({ Action: 'hdm:GetRedisAllSession' }))
    await refused({ Checks: many }, /at most 50 per call/)
    await refused({ Checks: '[{"Action":"hdm:A"}]', Other: 'x' }, /has no parameter Other/)
  })
})
