import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildAccessDeniedDetail, decodeDiagnosticMessage } from './access-denied-detail.ts'

const request = { action: 'hdm:KillInstanceAllSession', resource: 'acs:hdm:*:*:instance/r-1' }
const alice = { userName: 'alice', ownerId: '1234567890123456', temporary: false }

void describe('buildAccessDeniedDetail', () => {
  void it('describes an implicit deny of a sub-user', () => {
    const detail = buildAccessDeniedDetail({ effect: 'ImplicitDeny' }, request, alice)
    assert.deepStrictEqual(
      { ...detail, EncodedDiagnosticMessage: typeof detail.EncodedDiagnosticMessage },
      {
        PolicyType: 'AccountLevelIdentityBasedPolicy',
        AuthPrincipalOwnerId: '1234567890123456',
        EncodedDiagnosticMessage: 'string',
        AuthPrincipalType: 'SubUser',
        AuthPrincipalDisplayName: 'alice',
        NoPermissionType: 'ImplicitDeny',
        AuthAction: 'hdm:KillInstanceAllSession',
      }
    )
    assert.deepStrictEqual(decodeDiagnosticMessage(detail.EncodedDiagnosticMessage), {
      v: 1,
      noPermissionType: 'ImplicitDeny',
      action: request.action,
      resource: request.resource,
      userName: 'alice',
    })
  })

  void it('describes an explicit deny of temporary credentials, naming the policy', () => {
    const decision = { effect: 'ExplicitDeny', policyName: 'no-kill' } as const
    const detail = buildAccessDeniedDetail(decision, request, { ...alice, temporary: true })
    assert.equal(detail.AuthPrincipalType, 'AssumedRoleUser')
    assert.equal(detail.NoPermissionType, 'ExplicitDeny')
    assert.match(detail.EncodedDiagnosticMessage, /^[A-Za-z0-9+/]+=*$/)
    assert.equal(decodeDiagnosticMessage(detail.EncodedDiagnosticMessage)?.policyName, 'no-kill')
  })
})

void describe('decodeDiagnosticMessage', () => {
  void it('returns undefined for anything that is not ours', () => {
    for (const text of ['', 'AQEAAAAA', Buffer.from('{"v":2}').toString('base64'), '!!!']) {
      assert.equal(decodeDiagnosticMessage(text), undefined, text)
    }
  })
})
