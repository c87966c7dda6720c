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

const READ_ONLY = JSON.stringify({
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['ram:List*', 'ram:GetPolicy'], Resource: '*' },
    { Effect: 'Deny', Action: 'ram:ListAccessKeys', Resource: '*' },
  ],
})

/** Policies over the RPC API: validation, attachment, and their effect on the next request. */
void describe('identity actions: policies', () => {
  let t: TestApp
  let dana: TestCredentials
  const call = (action: string, params: Record<string, string> = {}, as?: TestCredentials) =>
    signedInject(t.app, { action, params, ...(as ?? t.admin) })
  const object = (value: unknown): JsonObject => {
    assert.ok(isJsonObject(value), `not an object: ${JSON.stringify(value)}`)
    return value
  }
  const names = (data: unknown): unknown[] => {
    const list = object(object(data)['Policies'])['Policy']
    assert.ok(Array.isArray(list))
    return list.map((policy) => object(policy)['PolicyName'])
  }

  before(async () => {
    t = await createTestApp()
    dataOf(await call('CreateUser', { UserName: 'dana' }))
    const key = object(
      object(dataOf(await call('CreateAccessKey', { UserName: 'dana' })))['AccessKey']
    )
    dana = {
      accessKeyId: String(key['AccessKeyId']),
      accessKeySecret: String(key['AccessKeySecret']),
    }
  })
  after(async () => {
    await t.close()
  })

  it('rejects an invalid document with the parser reason in Detail', async () => {
    const cases: [string, RegExp][] = [
      ['{not json', /^document: /],
      [JSON.stringify({ Version: '2', Statement: [] }), /^Version: /],
      [
        JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*' }] }),
        /^Statement\[0\]/,
      ],
      ['x'.repeat(7000), /^document: .*6144/],
    ]
    for (const [document, reason] of cases) {
      const response = await call('CreatePolicy', { PolicyName: 'bad', PolicyDocument: document })
      const detail = assertApiError(response, 'InvalidParams', 400)
      assert.match(detail, reason)
      assert.ok(!detail.includes('\n'), `more than one line: ${detail}`)
    }
    assert.equal(await t.store.policies.get('bad'), undefined)
  })

  it('creates a policy and shows its document with GetPolicy', async () => {
    const params = { PolicyName: 'read-only', PolicyDocument: READ_ONLY, Description: 'lists' }
    const policy = object(object(dataOf(await call('CreatePolicy', params)))['Policy'])
    assert.deepEqual(
      { ...policy, CreateDate: undefined },
      {
        PolicyName: 'read-only',
        PolicyType: 'Custom',
        Description: 'lists',
        DefaultVersion: 'v1',
        CreateDate: undefined,
      }
    )
    assertApiError(await call('CreatePolicy', params), 'EntityAlreadyExists', 409)
    const got = object(
      dataOf(await call('GetPolicy', { PolicyName: 'read-only', PolicyType: 'Custom' }))
    )
    assert.equal(object(got['DefaultPolicyVersion'])['PolicyDocument'], READ_ONLY)
    assertApiError(await call('GetPolicy', { PolicyName: 'nope' }), 'EntityNotExist', 404)
    assert.deepEqual(names(dataOf(await call('ListPolicies'))), [
      'AdministratorAccess',
      'read-only',
    ])
    const system = await call('ListPolicies', { PolicyType: 'System' })
    assert.match(assertApiError(system, 'InvalidParams', 400), /PolicyType must be Custom/)
  })

  it('denies a user without policies with NoPermission and AccessDeniedDetail', async () => {
    const denied = await call('ListUsers', {}, dana)
    assertApiError(denied, 'NoPermission', 403)
    const detail = object(denied.json['AccessDeniedDetail'])
    assert.equal(detail['AuthAction'], 'ram:ListUsers')
    assert.equal(detail['NoPermissionType'], 'ImplicitDeny')
    assert.equal(detail['AuthPrincipalDisplayName'], 'dana')
  })

  it('attaches a policy (PolicyType=Custom accepted): allowed, explicit deny and default deny', async () => {
    const attach = { PolicyType: 'Custom', PolicyName: 'read-only', UserName: 'dana' }
    dataOf(await call('AttachPolicyToUser', attach))
    assertApiError(await call('AttachPolicyToUser', attach), 'EntityAlreadyExists', 409)
    const forUser = await call('ListPoliciesForUser', { UserName: 'dana' }, dana)
    assert.deepEqual(names(dataOf(forUser)), ['read-only'])
    dataOf(await call('ListUsers', {}, dana))
    const explicit = await call('ListAccessKeys', {}, dana)
    assertApiError(explicit, 'NoPermission', 403)
    assert.equal(object(explicit.json['AccessDeniedDetail'])['NoPermissionType'], 'ExplicitDeny')
    const implicit = await call('CreateUser', { UserName: 'eve' }, dana)
    assertApiError(implicit, 'NoPermission', 403)
    assert.equal(object(implicit.json['AccessDeniedDetail'])['AuthAction'], 'ram:CreateUser')
    assert.equal(await t.store.users.get('eve'), undefined)
    const ghost = { PolicyName: 'read-only', UserName: 'ghost' }
    assertApiError(await call('AttachPolicyToUser', ghost), 'EntityNotExist', 404)
    const nopolicy = { PolicyName: 'nope', UserName: 'dana' }
    assertApiError(await call('AttachPolicyToUser', nopolicy), 'EntityNotExist', 404)
  })

  it('detaches and deletes policies: the next request is denied', async () => {
    dataOf(await call('DetachPolicyFromUser', { PolicyName: 'read-only', UserName: 'dana' }))
    assertApiError(await call('ListUsers', {}, dana), 'NoPermission', 403)
    const again = { PolicyName: 'read-only', UserName: 'dana' }
    assertApiError(await call('DetachPolicyFromUser', again), 'EntityNotExist', 404)
    dataOf(await call('AttachPolicyToUser', again))
    dataOf(await call('DeletePolicy', { PolicyName: 'read-only' }))
    assertApiError(await call('ListUsers', {}, dana), 'NoPermission', 403)
    assertApiError(await call('DeletePolicy', { PolicyName: 'read-only' }), 'EntityNotExist', 404)
  })

  it('writes an audit event for every change, with its result', async () => {
    const { events } = await t.store.audit.query({
      userName: 'admin',
      pageNumber: 1,
      pageSize: 100,
    })
    const summary = events
      .filter((event) => /Policy|Attach|Detach/.test(event.action))
      .map((event) => `${event.action}:${event.result}:${JSON.stringify(event.detail)}`)
      .reverse()
    // A failure keeps its code and the reason the caller was shown (docs/api.md, Audit).
    const failed = (action: string, code: string, reason: string) =>
      `${action}:${code}:${JSON.stringify({ code, reason })}`
    assert.deepEqual(summary, [
      failed(
        'CreatePolicy',
        'InvalidParams',
        "document: not valid JSON (Expected property name or '}' in JSON at position 1)"
      ),
      failed('CreatePolicy', 'InvalidParams', 'Version: must be "1"'),
      failed('CreatePolicy', 'InvalidParams', 'Statement[0]: needs Resource or NotResource'),
      failed('CreatePolicy', 'InvalidParams', 'document: 7000 characters, the limit is 6144'),
      'CreatePolicy:Success:{"policyName":"read-only"}',
      failed('CreatePolicy', 'EntityAlreadyExists', 'policy read-only already exists'),
      'AttachPolicyToUser:Success:{"policyName":"read-only","userName":"dana"}',
      failed(
        'AttachPolicyToUser',
        'EntityAlreadyExists',
        'policy read-only is already attached to user dana'
      ),
      failed('AttachPolicyToUser', 'EntityNotExist', 'no user ghost'),
      failed('AttachPolicyToUser', 'EntityNotExist', 'no policy nope'),
      'DetachPolicyFromUser:Success:{"policyName":"read-only","userName":"dana"}',
      failed(
        'DetachPolicyFromUser',
        'EntityNotExist',
        'policy read-only is not attached to user dana'
      ),
      'AttachPolicyToUser:Success:{"policyName":"read-only","userName":"dana"}',
      'DeletePolicy:Success:{"policyName":"read-only"}',
      failed('DeletePolicy', 'EntityNotExist', 'no policy read-only'),
    ])
    const denied = await t.store.audit.query({ userName: 'dana', pageNumber: 1, pageSize: 100 })
    assert.deepEqual(
      denied.events.map((event) => `${event.action}:${event.result}`),
      ['CreateUser:NoPermission']
    )
  })
})
