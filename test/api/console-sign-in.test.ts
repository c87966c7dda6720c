import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CONSOLE_SESSION_TTL_MS } from '../../src/api/console/sign-in-route.ts'
import { MAX_FAILED_SIGN_INS } from '../../src/api/console/sign-in-throttle.ts'
import { hashPassword } from '../../src/store/password-hash.ts'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type InjectedResponse,
} from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const PASSWORD = 'frank-password-1'

/** Temporary console credentials as the sign-in route returns them. */
interface ConsoleCredentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
}

/** Console sign-in (contract §7), the use of its temporary credentials, sign-out and expiry. */
void describe('console sign-in and DeleteConsoleSession', () => {
  let t: TestApp
  // The server clock, shifted by the tests to issue credentials that are already past expiry.
  let clockOffsetMs = 0

  const signIn = async (body: unknown, contentType = 'application/json') => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
    const json: unknown = JSON.parse(response.body)
    assert.ok(isJsonObject(json), response.body)
    return { status: response.statusCode, text: response.body, json, headers: response.headers }
  }
  const credentialsOf = (response: InjectedResponse): ConsoleCredentials => {
    assert.equal(response.status, 200, response.text)
    const { AccessKeyId, AccessKeySecret, SecurityToken } = response.json
    assert.ok(typeof AccessKeyId === 'string' && typeof AccessKeySecret === 'string')
    assert.ok(typeof SecurityToken === 'string')
    return {
      accessKeyId: AccessKeyId,
      accessKeySecret: AccessKeySecret,
      securityToken: SecurityToken,
    }
  }
  const callWith = (credentials: ConsoleCredentials, action: string, scheme: 'V1' | 'V3' = 'V3') =>
    signedInject(t.app, { action, scheme, ...credentials })

  before(async () => {
    t = await createTestApp({ services: { now: () => new Date(Date.now() + clockOffsetMs) } })
    await t.store.users.create('frank', await hashPassword(PASSWORD))
    await t.store.users.create('nopass')
  })
  after(async () => {
    await t.close()
  })

  it('issues one-hour temporary credentials that sign RPC calls (V3 and V1)', async () => {
    const before = Date.now()
    const response = await signIn({ UserName: 'frank', Password: PASSWORD })
    const credentials = credentialsOf(response)
    assert.match(credentials.accessKeyId, /^STS\./)
    assert.equal(response.json['UserName'], 'frank')
    assert.equal(response.headers['cache-control'], 'no-store')
    const expiration = Date.parse(String(response.json['Expiration']))
    assert.match(String(response.json['Expiration']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.ok(expiration >= before + CONSOLE_SESSION_TTL_MS - 1000, 'expires within the hour')
    assert.ok(expiration <= Date.now() + CONSOLE_SESSION_TTL_MS, 'expires after the hour')
    // frank has no policy: the signature is accepted, RAM says no, as an assumed-role principal.
    for (const scheme of ['V3', 'V1'] as const) {
      const denied = await callWith(credentials, 'ListUsers', scheme)
      assertApiError(denied, 'NoPermission', 403)
      const detail = denied.json['AccessDeniedDetail']
      assert.ok(isJsonObject(detail))
      assert.equal(detail['AuthPrincipalType'], 'AssumedRoleUser')
    }
    await t.store.policies.create(
      'users',
      JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*' }],
      }),
      ''
    )
    await t.store.policies.attach('users', 'frank')
    dataOf(await callWith(credentials, 'ListUsers'))
  })

  it('signs out without any policy: the same credentials are then unknown', async () => {
    const credentials = credentialsOf(await signIn({ UserName: 'frank', Password: PASSWORD }))
    await t.store.policies.detach('users', 'frank')
    assertApiError(await callWith(credentials, 'ListUsers'), 'NoPermission', 403)
    assert.equal(dataOf(await callWith(credentials, 'DeleteConsoleSession')), 'None')
    for (const action of ['ListUsers', 'DeleteConsoleSession']) {
      assertApiError(await callWith(credentials, action), 'InvalidAccessKeyId.NotFound', 404)
    }
    const events = await t.store.audit.query({
      action: 'DeleteConsoleSession',
      pageNumber: 1,
      pageSize: 10,
    })
    assert.deepEqual(
      events.events.map((event) => [event.userName, event.accessKeyId, event.result]),
      [['frank', credentials.accessKeyId, 'Success']]
    )
  })

  it('refuses DeleteConsoleSession signed with a permanent AccessKey', async () => {
    const response = await signedInject(t.app, { action: 'DeleteConsoleSession', ...t.admin })
    assert.match(assertApiError(response, 'InvalidParams', 400), /console credentials/)
    dataOf(await signedInject(t.app, { action: 'ListUsers', ...t.admin }))
  })

  it('answers InvalidSecurityToken.Expired once the hour is over', async () => {
    clockOffsetMs = -(CONSOLE_SESSION_TTL_MS + 60_000)
    const credentials = credentialsOf(await signIn({ UserName: 'frank', Password: PASSWORD }))
    clockOffsetMs = 0
    const expired = await callWith(credentials, 'DeleteConsoleSession')
    assertApiError(expired, 'InvalidSecurityToken.Expired', 400)
  })

  it('gives one answer for an unknown user, a wrong password and a user without password', async () => {
    const answers = [
      await signIn({ UserName: 'frank', Password: 'wrong-password' }),
      await signIn({ UserName: 'nobody', Password: PASSWORD }),
      await signIn({ UserName: 'nopass', Password: PASSWORD }),
      await signIn({ UserName: 'not a valid name', Password: PASSWORD }),
    ]
    const bodies = answers.map((answer) => {
      assert.equal(answer.status, 400)
      assert.ok(!answer.text.includes(PASSWORD))
      const { RequestId: _requestId, Recommend: _recommend, ...rest } = answer.json
      return rest
    })
    assert.deepEqual(bodies[0], {
      HostId: 'localhost:80',
      Code: 'InvalidParams',
      Message: 'The request parameters are invalid.',
      Detail: 'the user name or password is incorrect',
    })
    for (const body of bodies) assert.deepEqual(body, bodies[0])
    const { events } = await t.store.audit.query({
      action: 'ConsoleSignIn',
      pageNumber: 1,
      pageSize: 100,
    })
    const failures = events.filter((event) => event.result !== 'Success').reverse()
    assert.deepEqual(
      failures.map((event) => [event.userName, event.accessKeyId, event.detail['reason']]),
      [
        ['frank', '', 'wrong password'],
        ['nobody', '', 'unknown user'],
        ['nopass', '', 'no password'],
        ['(invalid)', '', 'unknown user'],
      ]
    )
    const successes = events.filter((event) => event.result === 'Success')
    assert.equal(successes.length, 3)
    assert.ok(successes.every((event) => event.accessKeyId.startsWith('STS.')))
    assert.ok(!JSON.stringify(events).includes(PASSWORD), 'a password in the audit log')
  })

  it('accepts only a small JSON body with both fields', async () => {
    const form = await signIn(
      `UserName=frank&Password=${PASSWORD}`,
      'application/x-www-form-urlencoded'
    )
    assert.match(assertApiError(form, 'InvalidParams', 400), /application\/json/)
    assert.match(assertApiError(await signIn('{nope'), 'InvalidParams', 400), /not JSON/)
    assertApiError(await signIn({ UserName: 'frank' }), 'InvalidParams', 400)
    assertApiError(await signIn([1, 2]), 'InvalidParams', 400)
    const huge = await signIn({ UserName: 'frank', Password: 'x'.repeat(10_000) })
    assertApiError(huge, 'RequestBodyTooLarge', 413)
    assert.ok(typeof huge.json['RequestId'] === 'string')
  })
})

void describe('console sign-in throttling', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
    await t.store.users.create('grace', await hashPassword(PASSWORD))
  })
  after(async () => {
    await t.close()
  })

  it('refuses even the right password after too many failures from one address', async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ UserName: 'grace', Password: password }),
      })
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i += 1) {
      const response = await attempt(`wrong-${i}-password`)
      assert.equal(response.statusCode, 400)
      assert.match(response.body, /"Code":"InvalidParams"/)
    }
    const throttled = await attempt(PASSWORD)
    assert.equal(throttled.statusCode, 400)
    assert.match(throttled.body, /"Code":"Throttling.User"/)
    assert.ok(!throttled.body.includes('AccessKeySecret'))
    const retryAfter = Number(throttled.headers['x-acs-retry-after'])
    assert.ok(retryAfter > 0 && retryAfter <= 300, `x-acs-retry-after ${retryAfter}`)
  })
})
