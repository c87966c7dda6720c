import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CONDITION_OPERATOR_NAMES } from './condition-operators.ts'
import { evaluatePolicies, type AuthzContext } from './evaluate-policy.ts'
import { parsePolicyDocument } from './policy-document.ts'

// Each operator against the context below: which values make the condition hold, which do not,
// and what happens on a key the request never carries (acs:SourceVpc).
const CONTEXT: AuthzContext = {
  sourceIp: '::ffff:192.0.2.10',
  currentTime: new Date('2025-06-01T12:00:00Z'),
  secureTransport: true,
  mfaPresent: false,
  accessKeyId: 'LTAI5tExample',
  userName: 'Alice',
}

/** The effect of one Allow-all statement carrying `Condition`. */
function decide(Condition: unknown, context = CONTEXT): string {
  const json = JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition }],
  })
  const policies = [{ name: 'p', document: parsePolicyDocument(json) }]
  return evaluatePolicies(policies, { action: 'hdm:GetRedisAllSession', resource: '*', context })
    .effect
}

const holds = (operator: string, key: string, values: unknown) =>
  decide({ [operator]: { [key]: values } }) === 'Allow'

const T = '2025-06-01T12:00:00Z'
const BEFORE = '2025-06-01T11:59:59Z'
const AFTER = '2025-06-01T14:00:01+02:00'
// operator → [key, values that hold, values that do not]
const CASES: Record<string, [string, unknown, unknown]> = {
  StringEquals: ['acs:UserName', ['bob', 'Alice'], 'alice'],
  StringNotEquals: ['acs:UserName', 'alice', ['bob', 'Alice']],
  StringEqualsIgnoreCase: ['ACS:USERNAME', 'aLICE', 'bob'],
  StringNotEqualsIgnoreCase: ['acs:UserName', 'bob', 'ALICE'],
  StringLike: ['acs:AccessId', 'LTAI5t*', ['ltai5t*', 'LTAI??t*']],
  StringNotLike: ['acs:AccessId', 'ltai*', 'L?AI*'],
  NumericEquals: ['acs:UserName', 1, 1],
  NumericNotEquals: ['acs:UserName', 1, 1],
  NumericLessThan: ['acs:UserName', 1, 1],
  NumericLessThanEquals: ['acs:UserName', 1, 1],
  NumericGreaterThan: ['acs:UserName', 1, 1],
  NumericGreaterThanEquals: ['acs:UserName', 1, 1],
  DateEquals: ['acs:CurrentTime', [BEFORE, '2025-06-01T20:00:00+08:00'], BEFORE],
  DateNotEquals: ['acs:CurrentTime', BEFORE, T],
  DateLessThan: ['acs:CurrentTime', AFTER, T],
  DateLessThanEquals: ['acs:CurrentTime', T, BEFORE],
  DateGreaterThan: ['acs:CurrentTime', BEFORE, T],
  DateGreaterThanEquals: ['acs:CurrentTime', T, AFTER],
  Bool: ['acs:SecureTransport', 'true', false],
  IpAddress: ['acs:SourceIp', ['10.0.0.0/8', '192.0.2.0/24'], ['::ffff:192.0.3.0/120', '::1']],
  NotIpAddress: ['acs:SourceIp', '10.0.0.0/8', '192.0.2.10'],
}

void describe('condition operators', () => {
  void it('cover the whole operator table', () => {
    assert.deepStrictEqual(Object.keys(CASES), CONDITION_OPERATOR_NAMES)
  })

  for (const [operator, [key, yes, no]] of Object.entries(CASES)) {
    const negated = operator.includes('Not')
    // A user name is no number: Numeric operators find no value, so only the Not form holds.
    if (operator.startsWith('Numeric')) {
      void it(`${operator} on a non-numeric value ${negated ? 'holds' : 'fails'}`, () => {
        assert.equal(holds(operator, key, yes), negated)
      })
      continue
    }
    void it(`${operator} holds and fails as expected`, () => {
      assert.equal(holds(operator, key, yes), true)
      assert.equal(holds(operator, key, no), false)
    })
    void it(`${operator} on an absent key ${negated ? 'holds' : 'fails'} (AWS rule)`, () => {
      assert.equal(holds(operator, 'acs:SourceVpc', yes), negated)
    })
  }

  void it('Numeric operators compare numbers, numeric strings included', () => {
    const effect = (Condition: unknown) => decide(Condition, { ...CONTEXT, userName: '42' })
    assert.equal(effect({ NumericEquals: { 'acs:UserName': '42.0' } }), 'Allow')
    assert.equal(effect({ NumericLessThan: { 'acs:UserName': 42 } }), 'ImplicitDeny')
    assert.equal(effect({ NumericLessThanEquals: { 'acs:UserName': 42 } }), 'Allow')
    assert.equal(effect({ NumericGreaterThan: { 'acs:UserName': [50, 41] } }), 'Allow')
    assert.equal(effect({ NumericGreaterThanEquals: { 'acs:UserName': 43 } }), 'ImplicitDeny')
    assert.equal(effect({ NumericNotEquals: { 'acs:UserName': 42 } }), 'ImplicitDeny')
  })

  void it('keys AND, operators AND, values OR', () => {
    const keys = { 'acs:UserName': 'Alice', 'acs:AccessId': ['x', 'LTAI5tExample'] }
    assert.equal(decide({ StringEquals: keys }), 'Allow')
    assert.equal(decide({ StringEquals: { ...keys, 'acs:UserName': 'x' } }), 'ImplicitDeny')
    const mfa = (present: boolean) => ({ StringEquals: keys, Bool: { 'acs:MFAPresent': present } })
    assert.equal(decide(mfa(true)), 'ImplicitDeny')
    assert.equal(decide(mfa(false)), 'Allow')
  })

  void it('an unparsable source IP matches no range', () => {
    const context = { ...CONTEXT, sourceIp: 'unix-socket' }
    assert.equal(decide({ IpAddress: { 'acs:SourceIp': '0.0.0.0/0' } }, context), 'ImplicitDeny')
    assert.equal(decide({ NotIpAddress: { 'acs:SourceIp': '0.0.0.0/0' } }, context), 'Allow')
  })
})
