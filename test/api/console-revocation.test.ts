import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashPassword } from '../../src/store/password-hash.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, createUserWithPolicy, type TestApp } from './support/test-app.ts'

const OLD_PASSWORD = 'ivan-old-password'
const NEW_PASSWORD = 'ivan-new-password'
const JUDY_PASSWORD = 'judy-password-1'

/** Temporary console credentials as `POST /console/sign-in` returns them. */
interface ConsoleCredentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
}

/** Contract §7 "revocable": a password change, a deleted password or an admin ends sessions. */
void describe('revoking console sessions', () => {
  let t: TestApp

  const signIn = async (userName: string, password: string): Promise<ConsoleCredentials> => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ UserName: userName, Password: password }),
    })
    assert.equal(response.statusCode, 200, response.body)
    const json: unknown = JSON.parse(response.body)
    assert.ok(isJsonObject(json))
    const { AccessKeyId, AccessKeySecret, SecurityToken } = json
    assert.ok(typeof AccessKeyId === 'string' && typeof AccessKeySecret === 'string')
    assert.ok(typeof SecurityToken === 'string')
    return {
      accessKeyId: AccessKeyId,
      accessKeySecret: AccessKeySecret,
      securityToken: SecurityToken,
    }
  }
  /** Whether the credentials still authenticate: users without policies get NoPermission. */
  const assertAlive = async (credentials: ConsoleCredentials) =>
    assertApiError(
      await signedInject(t.app, { action: 'ListUsers', ...credentials }),
      'NoPermission',
      403
    )
  const assertRevoked = async (credentials: ConsoleCredentials) =>
    assertApiError(
      await signedInject(t.app, { action: 'ListUsers', ...credentials }),
      'InvalidAccessKeyId.NotFound',
      404
    )
  const asAdmin = (action: string, params: Record<string, string>) =>
    signedInject(t.app, { action, params, ...t.admin })
  const auditDetails = async (action: string) =>
    (await t.store.audit.query({ action, pageNumber: 1, pageSize: 10 })).events.map((event) => [
      event.result,
      event.detail,
    ])

  before(async () => {
    t = await createTestApp()
    await t.store.users.create('ivan', await hashPassword(OLD_PASSWORD))
    await t.store.users.create('judy', await hashPassword(JUDY_PASSWORD))
  })
  after(async () => {
    await t.close()
  })

  it('ends every session of a user whose password changes, and only that user', async () => {
    const first = await signIn('ivan', OLD_PASSWORD)
    const second = await signIn('ivan', OLD_PASSWORD)
    const judy = await signIn('judy', JUDY_PASSWORD)
    await assertAlive(first)
    dataOf(await asAdmin('UpdateLoginProfile', { UserName: 'ivan', Password: NEW_PASSWORD }))
    await assertRevoked(first)
    await assertRevoked(second)
    await assertAlive(judy)
    // The new password signs in, and its session lives.
    await assertAlive(await signIn('ivan', NEW_PASSWORD))
    assert.deepEqual(await auditDetails('UpdateLoginProfile'), [
      ['Success', { userName: 'ivan', revokedSessions: 2 }],
    ])
  })

  it('ends the sessions of a user whose password is deleted', async () => {
    const session = await signIn('ivan', NEW_PASSWORD)
    await assertAlive(session)
    dataOf(await asAdmin('DeleteLoginProfile', { UserName: 'ivan' }))
    await assertRevoked(session)
    // One from the previous test and this one.
    assert.deepEqual(await auditDetails('DeleteLoginProfile'), [
      ['Success', { userName: 'ivan', revokedSessions: 2 }],
    ])
  })

  it('lets an admin revoke the sessions of another user', async () => {
    const judy = await signIn('judy', JUDY_PASSWORD)
    await assertAlive(judy)
    assert.deepEqual(dataOf(await asAdmin('RevokeConsoleSessions', { UserName: 'judy' })), {
      Revoked: 2,
    })
    await assertRevoked(judy)
    // Judy's password still works: revocation ends sessions, not the login profile.
    await assertAlive(await signIn('judy', JUDY_PASSWORD))
    assert.deepEqual(dataOf(await asAdmin('RevokeConsoleSessions', { UserName: 'ivan' })), {
      Revoked: 0,
    })
    assertApiError(
      await asAdmin('RevokeConsoleSessions', { UserName: 'nobody' }),
      'EntityNotExist',
      404
    )
    assertApiError(await asAdmin('RevokeConsoleSessions', {}), 'InvalidParams', 400)
    assert.deepEqual(await auditDetails('RevokeConsoleSessions'), [
      ['InvalidParams', { code: 'InvalidParams', reason: 'UserName is required' }],
      ['EntityNotExist', { code: 'EntityNotExist', reason: 'no user nobody' }],
      ['Success', { userName: 'ivan', revoked: 0 }],
      ['Success', { userName: 'judy', revoked: 2 }],
    ])
  })

  it('is checked as ram:RevokeConsoleSessions on *', async () => {
    const judy = await signIn('judy', JUDY_PASSWORD)
    const helpdesk = await createUserWithPolicy(t.store, 'helpdesk', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'ram:RevokeConsoleSessions', Resource: '*' }],
    })
    const params = { UserName: 'judy' }
    // Judy, with no policy, may not revoke even her own sessions this way.
    const denied = await signedInject(t.app, { action: 'RevokeConsoleSessions', params, ...judy })
    assertApiError(denied, 'NoPermission', 403)
    const allowed = await signedInject(t.app, {
      action: 'RevokeConsoleSessions',
      params,
      ...helpdesk,
    })
    assert.deepEqual(dataOf(allowed), { Revoked: 2 })
    await assertRevoked(judy)
  })
})
