import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type JsonObject,
} from './support/signed-inject.ts'
import { createTestApp, type TestApp, type TestCredentials } from './support/test-app.ts'

/** Users, AccessKeys and login profiles over the RPC API, as an administrator calls them. */
void describe('identity actions: users and AccessKeys', () => {
  let t: TestApp
  const call = (action: string, params: Record<string, string> = {}, as?: TestCredentials) =>
    signedInject(t.app, { action, params, ...(as ?? t.admin) })
  const object = (value: unknown): JsonObject => {
    assert.ok(isJsonObject(value), `not an object: ${JSON.stringify(value)}`)
    return value
  }

  before(async () => {
    t = await createTestApp()
  })
  after(async () => {
    await t.close()
  })

  it('creates a user with a console password and lists it without the password', async () => {
    const created = object(
      dataOf(await call('CreateUser', { UserName: 'alice', Password: 'correct horse 1' }))
    )
    const user = object(created['User'])
    assert.equal(user['UserName'], 'alice')
    assert.equal(user['HasLoginProfile'], true)
    assert.match(String(user['CreateDate']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const listed = await call('ListUsers')
    assert.ok(!listed.text.includes('correct horse 1'))
    assert.ok(!listed.text.includes('scrypt'), 'a password hash was listed')
    const users = object(object(dataOf(listed))['Users'])['User']
    assert.deepEqual(Array.isArray(users) ? users.map((u) => object(u)['UserName']) : users, [
      'admin',
      'alice',
    ])
    const events = await t.store.audit.query({ action: 'CreateUser', pageNumber: 1, pageSize: 10 })
    assert.equal(events.total, 1)
    assert.deepEqual(events.events[0]?.detail, { userName: 'alice', loginProfile: true })
    assert.ok(!JSON.stringify(events).includes('correct horse 1'))
  })

  it('refuses a duplicate user, a bad name and a short password with their codes', async () => {
    assertApiError(await call('CreateUser', { UserName: 'alice' }), 'EntityAlreadyExists', 409)
    const name = assertApiError(await call('CreateUser', { UserName: 'a b' }), 'InvalidParams', 400)
    assert.match(name, /UserName must match/)
    const short = await call('CreateUser', { UserName: 'bob', Password: 'short' })
    assert.match(assertApiError(short, 'InvalidParams', 400), /Password must be 8–128/)
    assert.ok(!short.text.includes('short"'), 'the password was echoed')
    assertApiError(await call('CreateUser', { UserName: 'bob', Email: 'x' }), 'InvalidParams', 400)
    assert.equal(await t.store.users.get('bob'), undefined)
  })

  it('hands out the secret once and never lists it', async () => {
    const created = object(
      object(dataOf(await call('CreateAccessKey', { UserName: 'alice' })))['AccessKey']
    )
    const id = String(created['AccessKeyId'])
    const secret = String(created['AccessKeySecret'])
    assert.match(id, /^LTAI[0-9A-Za-z]{20}$/)
    assert.match(secret, /^[0-9A-Za-z]{30}$/)
    assert.equal(created['Status'], 'Active')
    const listed = await call('ListAccessKeys', { UserName: 'alice' })
    assert.ok(!listed.text.includes(secret), 'a secret was listed')
    const keys = object(object(dataOf(listed))['AccessKeys'])['AccessKey']
    assert.deepEqual(keys, [
      { AccessKeyId: id, UserName: 'alice', Status: 'Active', CreateDate: created['CreateDate'] },
    ])
    const all = await call('ListAccessKeys')
    assert.ok(all.text.includes(id) && all.text.includes(t.admin.accessKeyId))
    assert.ok(!all.text.includes(t.admin.accessKeySecret))
    const events = await t.store.audit.query({
      action: 'CreateAccessKey',
      pageNumber: 1,
      pageSize: 10,
    })
    assert.deepEqual(events.events[0]?.detail, { userName: 'alice', accessKeyId: id })
    assert.ok(!JSON.stringify(events).includes(secret), 'the audit log holds the secret')
  })

  it('disables a key (InvalidAccessKeyId.Inactive) and enables it again', async () => {
    const key = await t.store.accessKeys.create('alice')
    await t.store.policies.create(
      'read-users',
      JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*' }],
      }),
      ''
    )
    await t.store.policies.attach('read-users', 'alice')
    dataOf(await call('ListUsers', {}, key))
    dataOf(await call('UpdateAccessKey', { UserAccessKeyId: key.accessKeyId, Status: 'Inactive' }))
    assertApiError(await call('ListUsers', {}, key), 'InvalidAccessKeyId.Inactive', 400)
    const wrongOwner = { UserAccessKeyId: key.accessKeyId, Status: 'Active', UserName: 'admin' }
    assertApiError(await call('UpdateAccessKey', wrongOwner), 'EntityNotExist', 404)
    const params = { UserAccessKeyId: key.accessKeyId, Status: 'Active', UserName: 'alice' }
    dataOf(await call('UpdateAccessKey', params))
    dataOf(await call('ListUsers', {}, key))
    const bad = await call('UpdateAccessKey', { ...params, Status: 'Enabled' })
    assert.match(assertApiError(bad, 'InvalidParams', 400), /Status must be Active or Inactive/)
    const events = await t.store.audit.query({
      action: 'UpdateAccessKey',
      pageNumber: 1,
      pageSize: 10,
    })
    assert.deepEqual(
      events.events.map((event) => [event.result, event.detail['status'] ?? null]),
      [
        ['InvalidParams', null],
        ['Success', 'Active'],
        ['EntityNotExist', null],
        ['Success', 'Inactive'],
      ]
    )
  })

  it('deletes a key: it is then unknown', async () => {
    const key = await t.store.accessKeys.create('alice')
    dataOf(await call('DeleteAccessKey', { UserAccessKeyId: key.accessKeyId }))
    assertApiError(await call('ListUsers', {}, key), 'InvalidAccessKeyId.NotFound', 404)
    const again = await call('DeleteAccessKey', { UserAccessKeyId: key.accessKeyId })
    assertApiError(again, 'EntityNotExist', 404)
  })

  it('sets and removes a console password', async () => {
    await t.store.users.create('carol')
    const set = await call('UpdateLoginProfile', { UserName: 'carol', Password: 'a long password' })
    assert.equal(object(object(dataOf(set))['LoginProfile'])['UserName'], 'carol')
    assert.equal((await t.store.users.get('carol'))?.hasPassword, true)
    dataOf(await call('DeleteLoginProfile', { UserName: 'carol' }))
    assert.equal((await t.store.users.get('carol'))?.hasPassword, false)
    assertApiError(await call('DeleteLoginProfile', { UserName: 'carol' }), 'EntityNotExist', 404)
    const ghost = { UserName: 'ghost', Password: 'a long password' }
    assertApiError(await call('UpdateLoginProfile', ghost), 'EntityNotExist', 404)
  })

  it('answers EntityNotExist for an unknown user', async () => {
    for (const [action, params] of [
      ['CreateAccessKey', { UserName: 'ghost' }],
      ['ListAccessKeys', { UserName: 'ghost' }],
      ['DeleteUser', { UserName: 'ghost' }],
      ['ListPoliciesForUser', { UserName: 'ghost' }],
    ] as const) {
      assert.match(assertApiError(await call(action, params), 'EntityNotExist', 404), /ghost/)
    }
  })

  it('deletes a user with its keys, but never the caller itself', async () => {
    const key = await t.store.accessKeys.create('carol')
    const self = await call('DeleteUser', { UserName: 'admin' })
    assert.match(assertApiError(self, 'InvalidParams', 400), /cannot delete itself/)
    dataOf(await call('DeleteUser', { UserName: 'carol' }))
    assert.equal(await t.store.users.get('carol'), undefined)
    assertApiError(await call('ListUsers', {}, key), 'InvalidAccessKeyId.NotFound', 404)
    const events = await t.store.audit.query({ action: 'DeleteUser', pageNumber: 1, pageSize: 10 })
    assert.deepEqual(
      events.events.map((event) => event.result),
      ['Success', 'InvalidParams', 'EntityNotExist']
    )
  })

  it('pages ListUsers with MaxItems and Marker', async () => {
    const first = object(dataOf(await call('ListUsers', { MaxItems: '1' })))
    assert.equal(first['IsTruncated'], true)
    assert.equal(first['Marker'], 'admin')
    const second = object(dataOf(await call('ListUsers', { MaxItems: '1', Marker: 'admin' })))
    const users = object(second['Users'])['User']
    assert.deepEqual(Array.isArray(users) ? users.map((u) => object(u)['UserName']) : users, [
      'alice',
    ])
    assert.equal(second['IsTruncated'], false)
    assert.equal('Marker' in second, false)
    assertApiError(await call('ListUsers', { MaxItems: '0' }), 'InvalidParams', 400)
  })
})
