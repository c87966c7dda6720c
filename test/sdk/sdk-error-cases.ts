/**
 * Errors provoked through the official clients: each case names who calls, what it sends, and
 * the code and HTTP status every client must surface (docs/errors.md). The cases here need no
 * steering; those that do are in sdk-steered-cases.ts.
 */
import assert from 'node:assert/strict'
import type { Family, SdkCall, SdkFailure } from './sdk-callers.ts'
import { field } from './sdk-callers.ts'

/** Who signs the call (set up by the test, see sdk-errors.test.ts). */
export type Principal =
  | 'admin'
  | 'unknownKey'
  | 'wrongSecret'
  | 'inactiveKey'
  | 'noPolicy'
  | 'explicitDeny'
  | 'expiredTemporary'
  | 'wrongToken'
  | 'temporaryWithoutToken'
  | 'oversizedToken'

/**
 * Which server answers (see error-world.ts): the configured one, or an app on the same store
 * whose clock runs 20 minutes ahead, or one that lets each AccessKey one call per 100 s.
 */
export type ServerName = 'main' | 'clockAhead' | 'oneCallPerKey'

/** What the checks of a case may need to know about the setup. */
export interface SdkCaseContext {
  /** Port of the down node of `DOWN_INSTANCE`. */
  readonly downPort: number
}

export interface SdkErrorCase {
  readonly name: string
  readonly principal: Principal
  /** What is sent; a function when each family is steered its own way (called once per test). */
  readonly call: SdkCall | ((family: Family) => SdkCall)
  /** The families that can send it; default all. Each one left out has a reason in error-coverage.ts. */
  readonly families?: readonly Family[]
  /** Default `main`. */
  readonly server?: ServerName
  /** Sends the same call twice and checks the second answer (a nonce reused, a budget spent). */
  readonly twice?: boolean
  readonly code: string
  readonly status: number
  readonly check?: (failure: SdkFailure, context: SdkCaseContext) => void
}

/** A registered instance whose only node is down; its password must never be echoed. */
export const DOWN_INSTANCE = 'r-sdk-down'
export const DOWN_PASSWORD = 'Down-Node-Secret-7319'
/** A registered instance whose node answers. */
export const UP_INSTANCE = 'r-sdk-up'

const sessions = (instanceId: string): SdkCall => ({ query: { InstanceId: instanceId } })

export const SDK_ERROR_CASES: readonly SdkErrorCase[] = [
  {
    name: 'unknown AccessKeyId',
    principal: 'unknownKey',
    call: sessions(UP_INSTANCE),
    code: 'InvalidAccessKeyId.NotFound',
    status: 404,
  },
  {
    name: 'wrong AccessKeySecret',
    principal: 'wrongSecret',
    call: sessions(UP_INSTANCE),
    code: 'SignatureDoesNotMatch',
    status: 400,
    check: (failure) => {
      // The gateway quotes its string to sign (V1 "string to sign is:", V3 "StringToSign is [").
      assert.match(
        String(failure.data['Message']),
        /server (string to sign is:|StringToSign is \[)/
      )
    },
  },
  {
    name: 'inactive AccessKey',
    principal: 'inactiveKey',
    call: sessions(UP_INSTANCE),
    code: 'InvalidAccessKeyId.Inactive',
    status: 400,
  },
  {
    name: 'expired temporary credentials',
    principal: 'expiredTemporary',
    call: sessions(UP_INSTANCE),
    code: 'InvalidSecurityToken.Expired',
    status: 400,
  },
  {
    name: 'temporary AccessKey with another SecurityToken',
    principal: 'wrongToken',
    call: sessions(UP_INSTANCE),
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
  },
  {
    name: 'unknown action',
    principal: 'admin',
    call: { action: 'GetRedisAllSessions', query: { InstanceId: UP_INSTANCE } },
    code: 'InvalidApi.NotFound',
    status: 404,
  },
  {
    name: 'wrong API version',
    principal: 'admin',
    call: { version: '2019-01-01', query: { InstanceId: UP_INSTANCE } },
    code: 'InvalidVersion',
    status: 400,
  },
  {
    name: 'missing InstanceId',
    principal: 'admin',
    call: { query: {} },
    code: 'InvalidParams',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Detail']), /InstanceId/),
  },
  {
    name: 'malformed InstanceId',
    principal: 'admin',
    call: sessions('R_Not*Valid'),
    code: 'InvalidParams',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Detail']), /InstanceId/),
  },
  {
    name: 'unknown instance',
    principal: 'admin',
    call: sessions('r-sdk-nowhere'),
    code: 'InvalidInstanceId.NotFound',
    status: 404,
  },
  {
    name: 'instance whose only node is down',
    principal: 'admin',
    call: sessions(DOWN_INSTANCE),
    code: 'InstanceConnectionFailed',
    status: 503,
    check: (failure, context) => {
      const detail = String(failure.data['Detail'])
      assert.ok(detail.includes(String(context.downPort)), `Detail names the node: ${detail}`)
      assert.ok(!JSON.stringify(failure.data).includes(DOWN_PASSWORD), 'never the password')
    },
  },
  {
    name: 'user with no policy',
    principal: 'noPolicy',
    call: sessions(UP_INSTANCE),
    code: 'NoPermission',
    status: 403,
    check: (failure) => assertDenied(failure, 'ImplicitDeny'),
  },
  {
    name: 'policy with an explicit Deny',
    principal: 'explicitDeny',
    call: sessions(UP_INSTANCE),
    code: 'NoPermission',
    status: 403,
    check: (failure) => assertDenied(failure, 'ExplicitDeny'),
  },
  {
    name: 'CreateUser of an existing user',
    principal: 'admin',
    call: { action: 'CreateUser', query: { UserName: 'admin' } },
    code: 'EntityAlreadyExists',
    status: 409,
  },
  {
    name: 'DeleteUser of an unknown user',
    principal: 'admin',
    call: { action: 'DeleteUser', query: { UserName: 'nobody-at-all' } },
    code: 'EntityNotExist',
    status: 404,
  },
]

function assertDenied(failure: SdkFailure, type: 'ImplicitDeny' | 'ExplicitDeny'): void {
  const detail = failure.accessDeniedDetail
  assert.equal(field(detail, 'NoPermissionType'), type, JSON.stringify(detail))
  assert.equal(field(detail, 'AuthAction'), 'hdm:GetRedisAllSession')
  assert.equal(field(detail, 'AuthPrincipalType'), 'SubUser')
  // The body carries it too, whatever the client copies out of it.
  assert.deepEqual(failure.data['AccessDeniedDetail'], detail)
}
