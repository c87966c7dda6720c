import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuthzContext, NamedPolicy } from '../../authz/evaluate-policy.ts'
import { parsePolicyDocument } from '../../authz/policy-document.ts'
import { ApiError } from '../../errors/api-error.ts'
import { decideChecks, MAX_CHECKS, parseChecks } from './permission-checks.ts'

const policy = (name: string, ...Statement: Record<string, unknown>[]): NamedPolicy => ({
  name,
  document: parsePolicyDocument(JSON.stringify({ Version: '1', Statement })),
})

const CONTEXT: AuthzContext = {
  sourceIp: '10.1.2.3',
  currentTime: new Date('2026-03-01T12:00:00Z'),
  secureTransport: false,
  mfaPresent: false,
  accessKeyId: 'LTAIunitcheck',
  userName: 'ops',
}

const OPS = [
  policy('ops-read', { Effect: 'Allow', Action: ['hdm:Get*', 'hdm:Describe*'], Resource: '*' }),
  policy('ops-kill-team-a', {
    Effect: 'Allow',
    Action: 'hdm:Kill*',
    Resource: 'acs:hdm:*:*:instance/team-a-*',
  }),
  policy('ops-no-kill-all', {
    Effect: 'Deny',
    Action: 'hdm:KillInstanceAllSession',
    Resource: '*',
  }),
  policy('ops-office', {
    Effect: 'Allow',
    Action: 'hdm:SetRedisClientAlias',
    Resource: '*',
    Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
  }),
]

const invalidDetail = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof ApiError)
    assert.equal(error.code, 'InvalidParams')
    return error.detail ?? ''
  }
  assert.fail('expected InvalidParams')
}

describe('DescribeCallerPermissions checks', () => {
  it('decides each check as the real authorization would, with the reason of each refusal', () => {
    const checks = parseChecks(
      JSON.stringify([
        { Action: 'hdm:GetRedisAllSession' },
        { Action: 'hdm:KillRedisSessions' },
        { Action: 'hdm:KillRedisSessions', Resource: 'acs:hdm:*:*:instance/team-b-1' },
        { Action: 'hdm:KillInstanceAllSession' },
        { Action: 'hdm:SetRedisClientAlias', Resource: '*' },
        { Action: 'ram:CreateUser', Resource: '*' },
      ]),
      'acs:hdm:*:*:instance/team-a-1'
    )
    const results = decideChecks(OPS, checks, CONTEXT)
    assert.deepEqual(results, [
      {
        Action: 'hdm:GetRedisAllSession',
        Resource: 'acs:hdm:*:*:instance/team-a-1',
        Allowed: true,
      },
      { Action: 'hdm:KillRedisSessions', Resource: 'acs:hdm:*:*:instance/team-a-1', Allowed: true },
      {
        Action: 'hdm:KillRedisSessions',
        Resource: 'acs:hdm:*:*:instance/team-b-1',
        Allowed: false,
        Reason:
          'no attached policy allows hdm:KillRedisSessions on acs:hdm:*:*:instance/team-b-1 (ImplicitDeny)',
      },
      {
        Action: 'hdm:KillInstanceAllSession',
        Resource: 'acs:hdm:*:*:instance/team-a-1',
        Allowed: false,
        Reason:
          'policy ops-no-kill-all denies hdm:KillInstanceAllSession on acs:hdm:*:*:instance/team-a-1 (ExplicitDeny)',
      },
      { Action: 'hdm:SetRedisClientAlias', Resource: '*', Allowed: true },
      {
        Action: 'ram:CreateUser',
        Resource: '*',
        Allowed: false,
        Reason: 'no attached policy allows ram:CreateUser on * (ImplicitDeny)',
      },
    ])
  })

  it('applies conditions with the request context: another source address is refused', () => {
    const checks = parseChecks('[{"Action":"hdm:SetRedisClientAlias"}]', '*')
    assert.equal(decideChecks(OPS, checks, CONTEXT)[0]?.Allowed, true)
    const outside = decideChecks(OPS, checks, { ...CONTEXT, sourceIp: '192.0.2.7' })
    assert.equal(outside[0]?.Allowed, false)
    assert.match(outside[0]?.Reason ?? '', /ImplicitDeny/)
  })

  it('refuses what is not a list of checks, naming the problem', () => {
    assert.match(
      invalidDetail(() => parseChecks('{', '*')),
      /^Checks is not valid JSON/
    )
    assert.match(
      invalidDetail(() => parseChecks('[]', '*')),
      /non-empty JSON array/
    )
    assert.match(
      invalidDetail(() => parseChecks('{"Action":"x"}', '*')),
      /non-empty JSON array/
    )
    assert.match(
      invalidDetail(() => parseChecks('[1]', '*')),
      /^Checks\[0\] must be an object/
    )
    assert.match(
      invalidDetail(() => parseChecks('[{"Action":"hdm:Get*"}]', '*')),
      /^Checks\[0\]\.Action must be a RAM action/
    )
    assert.match(
      invalidDetail(() => parseChecks('[{"Action":"GetRedisAllSession"}]', '*')),
      /^Checks\[0\]\.Action/
    )
    assert.match(
      invalidDetail(() =>
        parseChecks('[{"Action":"hdm:A"},{"Action":"hdm:B","Resource":"instance/x y"}]', '*')
      ),
      /^Checks\[1\]\.Resource must be \*/
    )
    const many = JSON.stringify(Array(MAX_CHECKS + 1).fill({ Action: 'hdm:GetRedisAllSession' }))
    assert.equal(
      invalidDetail(() => parseChecks(many, '*')),
      `Checks lists ${MAX_CHECKS + 1} checks; at most ${MAX_CHECKS} per call`
    )
    const most = JSON.stringify(Array(MAX_CHECKS).fill({ Action: 'hdm:GetRedisAllSession' }))
    assert.equal(parseChecks(most, '*').length, MAX_CHECKS)
  })
})
