import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { evaluatePolicies, type AuthzContext } from './evaluate-policy.ts'
import { parsePolicyDocument } from './policy-document.ts'
import { ALL_RESOURCES, instanceArn } from './resource-arn.ts'

// The examples of docs/policies.md parse and mean what the text says, so the doc cannot drift.
const markdown = readFileSync(new URL('../../../docs/policies.md', import.meta.url), 'utf8')
const examples = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')

const context: AuthzContext = {
  sourceIp: '10.2.3.4',
  currentTime: new Date('2025-06-30T12:00:00Z'),
  secureTransport: true,
  mfaPresent: true,
  accessKeyId: 'AK',
  userName: 'u',
}
function effects(json: string, requests: [string, string, Partial<AuthzContext>?][]): string[] {
  const policies = [{ name: 'p', document: parsePolicyDocument(json) }]
  return requests.map(
    ([action, resource, extra]) =>
      evaluatePolicies(policies, { action, resource, context: { ...context, ...extra } }).effect
  )
}

void describe('docs/policies.md examples', () => {
  void it('are all valid documents (intro + 5 examples)', () => {
    assert.equal(examples.length, 6)
    for (const json of examples) assert.doesNotThrow(() => parsePolicyDocument(json))
  })

  void it('mean what the text says', () => {
    const [, readOnly = '', team = '', office = '', denyKill = '', mfa = ''] = examples
    const get = 'hdm:GetRedisAllSession'
    assert.deepStrictEqual(
      effects(readOnly, [
        [get, instanceArn('r-1')],
        ['hdm:DescribeRedisInstances', ALL_RESOURCES],
        ['hdm:KillRedisSessions', instanceArn('r-1')],
      ]),
      ['Allow', 'Allow', 'ImplicitDeny']
    )
    assert.deepStrictEqual(
      effects(team, [
        [get, instanceArn('team-a-1')],
        [get, instanceArn('team-b-1')],
        // The listing checks each instance: the team's are allowed, `*` itself is not.
        ['hdm:DescribeRedisInstances', instanceArn('team-a-1')],
        ['hdm:DescribeRedisInstances', instanceArn('team-b-1')],
        ['hdm:DescribeRedisInstances', ALL_RESOURCES],
      ]),
      ['Allow', 'ImplicitDeny', 'Allow', 'ImplicitDeny', 'ImplicitDeny']
    )
    assert.deepStrictEqual(
      effects(office, [
        [get, ALL_RESOURCES],
        [get, ALL_RESOURCES, { sourceIp: '198.51.100.1' }],
        [get, ALL_RESOURCES, { secureTransport: false }],
      ]),
      ['Allow', 'ImplicitDeny', 'ImplicitDeny']
    )
    assert.deepStrictEqual(
      effects(denyKill, [
        ['hdm:KillInstanceAllSession', instanceArn('prod-1')],
        ['hdm:KillInstanceAllSession', instanceArn('dev-1')],
      ]),
      ['ExplicitDeny', 'ImplicitDeny']
    )
    assert.deepStrictEqual(
      effects(mfa, [
        ['hdm:DeleteRedisInstance', instanceArn('x')],
        ['hdm:DeleteRedisInstance', instanceArn('x'), { mfaPresent: false }],
        ['hdm:DeleteRedisInstance', instanceArn('x'), { currentTime: new Date('2025-07-01') }],
      ]),
      ['Allow', 'ImplicitDeny', 'ImplicitDeny']
    )
  })
})
