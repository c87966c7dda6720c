import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  CONDITION_OPERATORS,
  CONDITION_OPERATOR_NAMES,
  type ConditionFamily,
} from './condition-operators.ts'
import { evaluatePolicies, type AuthzRequest, type NamedPolicy } from './evaluate-policy.ts'
import {
  MAX_POLICY_DOCUMENT_LENGTH,
  PolicyDocumentError,
  parsePolicyDocument,
} from './policy-document.ts'
import { instanceArn } from './resource-arn.ts'

// Documents built from the grammar of protocol.md §12, and requests with every context shape.

const word = (chars: string) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 6 })
const listOf = <T>(item: fc.Arbitrary<T>) =>
  fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }))

const action = fc.oneof(
  fc.constant('*'),
  fc
    .tuple(fc.constantFrom('hdm', 'ecs', '*', 'h?m'), word('GetKilRdsa*?'))
    .map(([s, n]) => `${s}:${n}`)
)
const resource = fc.oneof(
  fc.constant('*'),
  word('abc-*?/').map((id) => `acs:hdm:*:*:instance/${id}`),
  fc.tuple(word('ab*'), word('ab/:*')).map(([svc, rel]) => `acs:${svc}:*:123:${rel}`)
)
const ipText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/${n}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, n]) => `${ip}/${n}`)
)
const date = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
})
const VALUES: Record<ConditionFamily, fc.Arbitrary<unknown>> = {
  String: fc.string({ maxLength: 8 }),
  Numeric: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer().map(String)
  ),
  Date: date.map((d) => d.toISOString()),
  Bool: fc.oneof(fc.boolean(), fc.constantFrom('true', 'FALSE')),
  Ip: ipText,
}
const conditionKey = fc.constantFrom(
  'acs:SourceIp',
  'acs:currenttime',
  'ACS:SecureTransport',
  'acs:MFAPresent',
  'acs:AccessId',
  'acs:UserName',
  'acs:SourceVpc'
)
const condition = fc
  .array(
    fc.constantFrom(...CONDITION_OPERATOR_NAMES).chain((operator) =>
      fc
        .dictionary(conditionKey, listOf(VALUES[CONDITION_OPERATORS[operator].family]), {
          minKeys: 1,
          maxKeys: 2,
        })
        .map((keys) => [operator, keys] as const)
    ),
    { minLength: 1, maxLength: 3 }
  )
  .map((entries) => Object.fromEntries(entries))
const statement = fc.record(
  {
    Sid: fc.string({ maxLength: 5 }),
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: listOf(action),
    Resource: listOf(resource),
    Condition: condition,
  },
  { requiredKeys: ['Effect', 'Action', 'Resource'] }
)
const negatable = statement.chain((s) =>
  fc.tuple(fc.boolean(), fc.boolean()).map(([notAction, notResource]) => {
    const { Action, Resource, ...rest } = s
    return {
      ...rest,
      ...(notAction ? { NotAction: Action } : { Action }),
      ...(notResource ? { NotResource: Resource } : { Resource }),
    }
  })
)
const documentObject = fc.record({
  Version: fc.constant('1'),
  Statement: fc.array(negatable, { minLength: 1, maxLength: 3 }),
})
const documentJson = documentObject
  .map((d) => JSON.stringify(d))
  .filter((json) => json.length <= MAX_POLICY_DOCUMENT_LENGTH)

const request: fc.Arbitrary<AuthzRequest> = fc.record({
  action: fc.constantFrom('hdm:GetRedisAllSession', 'HDM:killredissessions', 'ecs:Run', ''),
  resource: fc.oneof(fc.constant('*'), fc.string().map(instanceArn), fc.string()),
  context: fc.record({
    sourceIp: fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4().map((ip) => `::ffff:${ip}`),
      fc.string()
    ),
    currentTime: fc.date({ noInvalidDate: false }), // invalid dates included
    secureTransport: fc.boolean(),
    mfaPresent: fc.boolean(),
    accessKeyId: fc.string(),
    userName: fc.oneof(fc.string(), fc.integer().map(String)),
  }),
})

const named = (name: string, json: string): NamedPolicy => ({
  name,
  document: parsePolicyDocument(json),
})
const statementJson = (Effect: string) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect, Action: '*', Resource: '*' }] })

void describe('policy language properties', () => {
  void it('documents built from the grammar parse and evaluate to a decision', () => {
    fc.assert(
      fc.property(fc.array(documentJson, { maxLength: 5 }), request, (docs, req) => {
        const policies = docs.map((json, i) => named(`p${i}`, json))
        const decision = evaluatePolicies(policies, req)
        const names = policies.map((p) => p.name)
        if (decision.effect === 'ImplicitDeny')
          assert.deepStrictEqual(decision, { effect: 'ImplicitDeny' })
        else assert.ok(names.includes(decision.policyName))
      })
    )
  })

  void it('a Deny-all policy always wins; an Allow-all policy never leaves an implicit deny', () => {
    fc.assert(
      fc.property(fc.array(documentJson, { maxLength: 3 }), request, (docs, req) => {
        const policies = docs.map((json, i) => named(`p${i}`, json))
        const denied = evaluatePolicies([...policies, named('deny', statementJson('Deny'))], req)
        assert.equal(denied.effect, 'ExplicitDeny')
        const allowed = evaluatePolicies([named('allow', statementJson('Allow')), ...policies], req)
        assert.notEqual(allowed.effect, 'ImplicitDeny')
      })
    )
  })

  const onlyPolicyDocumentErrors = (json: string) => {
    try {
      parsePolicyDocument(json)
    } catch (error) {
      assert.ok(error instanceof PolicyDocumentError, String(error))
      assert.ok(!error.message.includes('\n'), error.message)
    }
  }

  void it('random text and random JSON throw nothing but PolicyDocumentError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), onlyPolicyDocumentErrors), {
      numRuns: 500,
    })
  })

  void it('grammar documents with one field replaced by random JSON throw only PolicyDocumentError', () => {
    const field = fc.constantFrom(
      'Effect',
      'Action',
      'NotAction',
      'Resource',
      'Condition',
      'Sid',
      'Principal'
    )
    fc.assert(
      fc.property(documentObject, field, fc.jsonValue(), (doc, key, value) => {
        const [first, ...rest] = doc.Statement
        const Statement = [{ ...first, [key]: value }, ...rest]
        onlyPolicyDocumentErrors(JSON.stringify({ ...doc, Statement }))
      }),
      { numRuns: 500 }
    )
  })
})
