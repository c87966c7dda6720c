import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dataOf, isJsonObject, signedInject, type JsonObject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

const PASSWORD = 'audit-secret-pw-31337'

// A refused call is in the audit log with the instance it aimed at and why it was refused, so an
// operator reading the log can tell a typo from an attack; a secret never goes there.
void describe('Audit of rejected calls: InstanceId as given, code and reason in Detail', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')

  before(async () => {
    test = await createTestApp()
  })
  after(async () => {
    await test?.close()
  })

  const call = (action: string, params: Record<string, string>, as = t().admin) =>
    signedInject(t().app, { action, params, ...as })
  const eventOf = async (requestId: unknown): Promise<JsonObject> => {
    const data = dataOf(await call('DescribeAuditLog', { PageSize: '100' }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Events']))
    const events: unknown[] = data['Events']
    const event = events.find((e) => isJsonObject(e) && e['RequestId'] === requestId)
    assert.ok(isJsonObject(event), `an audit event for ${String(requestId)}`)
    return event
  }

  void it('KillRedisSessions with a bad ClientIp: InstanceId kept, InvalidParams and why', async () => {
    const response = await call('KillRedisSessions', { InstanceId: 'r-a', ClientIp: '127.1' })
    assert.equal(response.json['Code'], 'InvalidParams')
    const event = await eventOf(response.json['RequestId'])
    assert.equal(event['Result'], 'InvalidParams')
    assert.equal(event['InstanceId'], 'r-a')
    assert.deepEqual(event['Detail'], {
      code: 'InvalidParams',
      reason: String(response.json['Detail']),
    })
    assert.match(String(response.json['Detail']), /^ClientIp: not an IP address or CIDR: 127\.1/)
  })

  void it('an InstanceId that does not parse is kept as given', async () => {
    const response = await call('KillInstanceAllSession', { InstanceId: 'R_A!' })
    const event = await eventOf(response.json['RequestId'])
    assert.equal(event['InstanceId'], 'R_A!')
    assert.ok(isJsonObject(event['Detail']))
    assert.equal(event['Detail']['code'], 'InvalidParams')
    assert.match(String(event['Detail']['reason']), /InstanceId must match/)
  })

  void it('NoPermission and NotFound say so; the parsed InstanceId is used', async () => {
    const reader = await createUserWithPolicy(t().store, 'reader', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:GetRedisAllSession', Resource: '*' }],
    })
    const denied = await call('KillRedisSessions', { InstanceId: 'r-b', Name: 'x' }, reader)
    const deniedEvent = await eventOf(denied.json['RequestId'])
    assert.equal(deniedEvent['InstanceId'], 'r-b')
    assert.ok(isJsonObject(deniedEvent['Detail']))
    assert.equal(deniedEvent['Detail']['code'], 'NoPermission')
    const missing = await call('KillRedisSessions', { InstanceId: 'r-nowhere', Name: 'x' })
    const missingEvent = await eventOf(missing.json['RequestId'])
    assert.deepEqual(missingEvent['Detail'], {
      code: 'InvalidInstanceId.NotFound',
      reason: 'no instance r-nowhere',
    })
  })

  void it('never writes a Password parameter into Detail, even when the reason quotes it', async () => {
    const response = await call('AddRedisInstance', {
      InstanceId: 'r-secret',
      Topology: 'standalone',
      Endpoints: `127.0.0.1:${PASSWORD}`,
      Password: PASSWORD,
      SkipCheck: 'true',
    })
    assert.equal(response.json['Code'], 'InvalidParams')
    // The caller is shown its own input; the log must not keep it.
    assert.ok(String(response.json['Detail']).includes(PASSWORD), 'the reason quotes it')
    const event = await eventOf(response.json['RequestId'])
    assert.equal(event['InstanceId'], 'r-secret')
    assert.deepEqual(event['Detail'], { code: 'InvalidParams' })
    // Nor any reason at all once a password was sent: it could quote it cut or escaped.
    const cut = await call('AddRedisInstance', {
      InstanceId: 'r-secret-2',
      Topology: 'bogus',
      Endpoints: '127.0.0.1:6379',
      Password: PASSWORD,
      SkipCheck: 'true',
    })
    assert.equal(cut.json['Code'], 'InvalidParams')
    const cutEvent = await eventOf(cut.json['RequestId'])
    assert.deepEqual(cutEvent['Detail'], { code: 'InvalidParams' })
    const log = JSON.stringify(dataOf(await call('DescribeAuditLog', { PageSize: '100' })))
    assert.ok(!log.includes(PASSWORD), 'no password anywhere in the audit log')
  })
})
