import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  evaluatePolicies,
  type AuthzContext,
  type Decision,
  type NamedPolicy,
} from './evaluate-policy.ts'
import { parsePolicyDocument } from './policy-document.ts'
import { ALL_RESOURCES, instanceArn } from './resource-arn.ts'

// The whole decision table: every principal × every request, one deepStrictEqual per principal
// (docs/style.md §6), so a change in any cell shows up as a diff of the map.

type Statement = Record<string, unknown>
const policy = (name: string, ...Statement: Statement[]): NamedPolicy => ({
  name,
  document: parsePolicyDocument(JSON.stringify({ Version: '1', Statement })),
})

const PRINCIPALS: Record<string, NamedPolicy[]> = {
  admin: [policy('AdministratorAccess', { Effect: 'Allow', Action: '*', Resource: '*' })],
  ops: [
    policy('ops-all', { Effect: 'Allow', Action: 'hdm:*', Resource: '*' }),
    policy('ops-no-kill', { Effect: 'Deny', Action: 'hdm:Kill*', Resource: '*' }),
  ],
  'team-a': [
    policy('team-a-read', {
      Effect: 'Allow',
      Action: 'hdm:GetRedisAllSession',
      Resource: 'acs:hdm:*:*:instance/team-a-*',
    }),
  ],
  office: [
    policy('office-only', {
      Effect: 'Allow',
      Action: 'hdm:*',
      Resource: '*',
      Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '::1'] } },
    }),
  ],
  night: [
    policy('night-window', {
      Effect: 'Allow',
      Action: 'hdm:GetRedisAllSession',
      Resource: '*',
      Condition: {
        DateGreaterThanEquals: { 'acs:CurrentTime': '2025-01-01T00:00:00Z' },
        DateLessThan: { 'acs:CurrentTime': '2025-01-01T08:00:00+02:00' },
      },
    }),
  ],
  'mfa-only': [
    policy('mfa', {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'acs:MFAPresent': 'true' } },
    }),
  ],
  'not-action': [
    policy('all-but-kill', { Effect: 'Allow', NotAction: ['hdm:Kill*', 'ecs:*'], Resource: '*' }),
  ],
  'not-resource': [
    policy('all-but-prod', {
      Effect: 'Allow',
      Action: 'hdm:*',
      NotResource: 'acs:hdm:*:*:instance/prod-*',
    }),
  ],
  // Like AWS, a negated operator on a key no request carries holds: this Deny always applies.
  'vpc-guard': [
    policy('admin', { Effect: 'Allow', Action: '*', Resource: '*' }),
    policy('vpc-only', {
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringNotEquals: { 'acs:SourceVpc': 'vpc-1' } },
    }),
  ],
  nobody: [],
}

const BASE: AuthzContext = {
  sourceIp: '10.1.2.3',
  currentTime: new Date('2025-01-01T03:00:00Z'),
  secureTransport: true,
  mfaPresent: false,
  accessKeyId: 'LTAI5tExample',
  userName: 'someone',
}
const GET = 'hdm:GetRedisAllSession'
const REQUESTS = {
  'get-all': { action: GET, resource: ALL_RESOURCES },
  'get-team-a': { action: GET, resource: instanceArn('team-a-cache') },
  'get-team-b': { action: GET, resource: instanceArn('team-b-cache') },
  'get-prod': { action: GET, resource: instanceArn('prod-1') },
  'get-lower-case': { action: 'HDM:getredisallsession', resource: instanceArn('team-a-1') },
  'kill-team-a': { action: 'hdm:KillInstanceAllSession', resource: instanceArn('team-a-1') },
  'list-instances': { action: 'hdm:DescribeRedisInstances', resource: ALL_RESOURCES },
  'other-service': { action: 'ecs:DescribeInstances', resource: ALL_RESOURCES },
  'get-from-outside': { action: GET, resource: ALL_RESOURCES, context: { sourceIp: '192.0.2.7' } },
  'get-v4-mapped': {
    action: GET,
    resource: ALL_RESOURCES,
    context: { sourceIp: '::ffff:10.9.9.9' },
  },
  'get-v6-loopback': { action: GET, resource: ALL_RESOURCES, context: { sourceIp: '::1' } },
  'get-daytime': {
    action: GET,
    resource: ALL_RESOURCES,
    context: { currentTime: new Date('2025-01-01T06:00:00Z') },
  },
  'get-with-mfa': { action: GET, resource: ALL_RESOURCES, context: { mfaPresent: true } },
} satisfies Record<string, { action: string; resource: string; context?: Partial<AuthzContext> }>
type RequestName = keyof typeof REQUESTS

function decisions(principal: string): Record<string, Decision> {
  const policies = PRINCIPALS[principal] ?? []
  const out: Record<string, Decision> = {}
  for (const [name, request] of Object.entries(REQUESTS)) {
    const context = {
      ...BASE,
      userName: principal,
      ...('context' in request ? request.context : {}),
    }
    out[name] = evaluatePolicies(policies, { ...request, context })
  }
  return out
}

const A = (policyName: string): Decision => ({ effect: 'Allow', policyName })
const D = (policyName: string): Decision => ({ effect: 'ExplicitDeny', policyName })
const N: Decision = { effect: 'ImplicitDeny' }
/** Every request gets `fallback` except the listed ones. */
const table = (fallback: Decision, except: Partial<Record<RequestName, Decision>> = {}) => {
  const out: Record<string, Decision> = {}
  for (const name of Object.keys(REQUESTS)) out[name] = fallback
  return { ...out, ...except }
}

void describe('evaluatePolicies decision table', () => {
  void it('admin is allowed everything', () => {
    assert.deepStrictEqual(decisions('admin'), table(A('AdministratorAccess')))
  })
  void it('ops is allowed hdm:* except an explicit deny on hdm:Kill*', () => {
    assert.deepStrictEqual(
      decisions('ops'),
      table(A('ops-all'), { 'kill-team-a': D('ops-no-kill'), 'other-service': N })
    )
  })
  void it('team-a reads only its own instances, never the * resource', () => {
    assert.deepStrictEqual(
      decisions('team-a'),
      table(N, { 'get-team-a': A('team-a-read'), 'get-lower-case': A('team-a-read') })
    )
  })
  void it('office is allowed only from 10.0.0.0/8 (IPv4-mapped included) and ::1', () => {
    assert.deepStrictEqual(
      decisions('office'),
      table(A('office-only'), { 'get-from-outside': N, 'other-service': N })
    )
  })
  void it('night is allowed only inside its time window', () => {
    const allowed = A('night-window')
    assert.deepStrictEqual(
      decisions('night'),
      table(allowed, {
        'kill-team-a': N,
        'list-instances': N,
        'other-service': N,
        'get-daytime': N,
      })
    )
  })
  void it('mfa-only is allowed only with MFA', () => {
    assert.deepStrictEqual(decisions('mfa-only'), table(N, { 'get-with-mfa': A('mfa') }))
  })
  void it('NotAction allows everything but the listed actions', () => {
    assert.deepStrictEqual(
      decisions('not-action'),
      table(A('all-but-kill'), { 'kill-team-a': N, 'other-service': N })
    )
  })
  void it('NotResource allows every resource but the listed ones, * included', () => {
    assert.deepStrictEqual(
      decisions('not-resource'),
      table(A('all-but-prod'), { 'get-prod': N, 'other-service': N })
    )
  })
  void it('a Deny with a negated operator on an absent key always applies', () => {
    assert.deepStrictEqual(decisions('vpc-guard'), table(D('vpc-only')))
  })
  void it('a principal without policies is implicitly denied everything', () => {
    assert.deepStrictEqual(decisions('nobody'), table(N))
  })
})

void describe('evaluatePolicies', () => {
  void it('names the first allowing policy and the first denying one', () => {
    const allow = (name: string) => policy(name, { Effect: 'Allow', Action: '*', Resource: '*' })
    const deny = (name: string) => policy(name, { Effect: 'Deny', Action: '*', Resource: '*' })
    const request = { action: GET, resource: ALL_RESOURCES, context: BASE }
    assert.deepStrictEqual(evaluatePolicies([allow('p1'), allow('p2')], request), A('p1'))
    assert.deepStrictEqual(
      evaluatePolicies([allow('p1'), deny('d1'), deny('d2')], request),
      D('d1')
    )
  })
  void it('gives the same answer when a document is evaluated again from the cache', () => {
    const policies = PRINCIPALS['ops'] ?? []
    const request = { action: 'hdm:KillRedisSessions', resource: ALL_RESOURCES, context: BASE }
    assert.deepStrictEqual(evaluatePolicies(policies, request), D('ops-no-kill'))
    assert.deepStrictEqual(evaluatePolicies(policies, request), D('ops-no-kill'))
  })
})
