import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  MAX_POLICY_DOCUMENT_LENGTH,
  PolicyDocumentError,
  parsePolicyDocument,
} from './policy-document.ts'

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '1', Statement })
const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' }
const withCondition = (Condition: unknown) => doc({ ...allowAll, Condition })

function rejects(json: string, message: string, code = 'MalformedPolicyDocument') {
  assert.throws(
    () => parsePolicyDocument(json),
    (error) => {
      assert.ok(error instanceof PolicyDocumentError)
      assert.equal(error.message, message)
      assert.equal(error.code, code)
      assert.equal(`${error.path}: ${error.reason}`, message)
      return true
    }
  )
}

// One case per grammar rule; each message names the JSON path of the offending value.
const INVALID: [rule: string, json: string, message: string][] = [
  ['top level is an object', '[]', 'document: must be a JSON object'],
  ['Version is required', '{"Statement":[]}', 'Version: is required'],
  ['Version is "1"', JSON.stringify({ Version: 1, Statement: [allowAll] }), 'Version: must be "1"'],
  [
    'no unknown top-level field',
    JSON.stringify({ Version: '1', Statement: [allowAll], Id: 'x' }),
    'Id: unknown field',
  ],
  [
    'Statement is an array',
    JSON.stringify({ Version: '1', Statement: allowAll }),
    'Statement: must be an array of statements',
  ],
  ['Statement is not empty', doc(), 'Statement: must contain at least one statement'],
  ['a statement is an object', doc('Allow'), 'Statement[0]: must be a statement object'],
  ['Effect is required', doc({ Action: '*', Resource: '*' }), 'Statement[0].Effect: is required'],
  [
    'Effect is Allow or Deny',
    doc({ ...allowAll, Effect: 'allow' }),
    'Statement[0].Effect: must be "Allow" or "Deny"',
  ],
  [
    'Action or NotAction is required',
    doc({ Effect: 'Allow', Resource: '*' }),
    'Statement[0]: needs Action or NotAction',
  ],
  [
    'not both Action and NotAction',
    doc({ ...allowAll, NotAction: 'hdm:Kill*' }),
    'Statement[0].NotAction: not allowed together with Action',
  ],
  [
    'Resource or NotResource is required',
    doc({ Effect: 'Allow', Action: '*' }),
    'Statement[0]: needs Resource or NotResource',
  ],
  [
    'not both Resource and NotResource',
    doc({ ...allowAll, NotResource: '*' }),
    'Statement[0].NotResource: not allowed together with Resource',
  ],
  ['Sid is a string', doc({ ...allowAll, Sid: 1 }), 'Statement[0].Sid: must be a string'],
  [
    'no Principal in identity policies',
    doc({ ...allowAll, Principal: '*' }),
    'Statement[0].Principal: unknown field',
  ],
  [
    'a list is a string or an array',
    doc({ ...allowAll, Action: 7 }),
    'Statement[0].Action: must be an action or a non-empty array of them',
  ],
  [
    'a list array is not empty',
    doc({ ...allowAll, Action: [] }),
    'Statement[0].Action: must not be empty: give an action or an array of them',
  ],
  [
    'list items are strings',
    doc(allowAll, { ...allowAll, Action: ['hdm:Get*', null] }),
    'Statement[1].Action[1]: must be a string',
  ],
  [
    'an action is <service>:<name>',
    doc({ ...allowAll, NotAction: undefined, Action: 'GetRedisAllSession' }),
    'Statement[0].Action: not an action: expected "*" or <service>:<Action>, e.g. hdm:GetRedisAllSession',
  ],
  [
    'a resource is * or an acs: ARN',
    doc({ ...allowAll, Resource: ['*', 'instance/r-1'] }),
    'Statement[0].Resource[1]: not a resource: expected "*" or acs:<service>:<region>:<account>:<resource>',
  ],
  [
    'Condition is an object',
    withCondition('x'),
    'Statement[0].Condition: must be an object of condition operators',
  ],
  [
    'Condition is not empty',
    withCondition({}),
    'Statement[0].Condition: must name at least one condition operator',
  ],
  [
    'operators come from the table',
    withCondition({ StringEqual: { 'acs:UserName': 'a' } }),
    'Statement[0].Condition.StringEqual: unknown condition operator (names are case-sensitive, e.g. StringEquals, IpAddress)',
  ],
  [
    'an operator names a key',
    withCondition({ Bool: {} }),
    'Statement[0].Condition.Bool: must name at least one condition key',
  ],
  [
    'a key is <prefix>:<name>',
    withCondition({ StringEquals: { UserName: 'a' } }),
    'Statement[0].Condition.StringEquals.UserName: not a condition key: expected e.g. acs:SourceIp',
  ],
  [
    'String values are strings',
    withCondition({ StringLike: { 'acs:UserName': ['a*', 3] } }),
    'Statement[0].Condition.StringLike.acs:UserName[1]: must be a string',
  ],
  [
    'Numeric values are numbers',
    withCondition({ NumericLessThan: { 'x:n': '12abc' } }),
    'Statement[0].Condition.NumericLessThan.x:n: not a number',
  ],
  [
    'Numeric values are finite',
    withCondition({ NumericEquals: { 'x:n': '1e999' } }),
    'Statement[0].Condition.NumericEquals.x:n: number out of range',
  ],
  [
    'Date values are ISO 8601',
    withCondition({ DateLessThan: { 'acs:CurrentTime': ['2025-01-01T00:00:00Z', '01/02/2025'] } }),
    'Statement[0].Condition.DateLessThan.acs:CurrentTime[1]: not an ISO 8601 date, e.g. 2025-01-31T18:00:00Z or 2025-01-31T18:00:00+08:00',
  ],
  [
    'Bool values are booleans',
    withCondition({ Bool: { 'acs:MFAPresent': 'yes' } }),
    'Statement[0].Condition.Bool.acs:MFAPresent: not a boolean: expected true or false',
  ],
  [
    'IP values are IPs or CIDRs',
    doc(allowAll, {
      ...allowAll,
      Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '10.1'] } },
    }),
    'Statement[1].Condition.IpAddress.acs:SourceIp[1]: not an IP address or CIDR',
  ],
  [
    'IP prefixes fit the family',
    withCondition({ NotIpAddress: { 'acs:SourceIp': '10.0.0.0/33' } }),
    'Statement[0].Condition.NotIpAddress.acs:SourceIp: not an IP address or CIDR',
  ],
  [
    'value lists are not empty',
    withCondition({ IpAddress: { 'acs:SourceIp': [] } }),
    'Statement[0].Condition.IpAddress.acs:SourceIp: must not be empty: give an IP address or CIDR or an array of them',
  ],
]

void describe('parsePolicyDocument rejects', () => {
  for (const [rule, json, message] of INVALID) {
    void it(rule, () => rejects(json, message))
  }

  void it('invalid JSON, on one line', () => {
    assert.throws(
      () => parsePolicyDocument('{"Version":\n"1",'),
      (error) =>
        error instanceof PolicyDocumentError &&
        error.code === 'MalformedPolicyDocument' &&
        error.path === 'document' &&
        /^document: not valid JSON \([^\n]+\)$/.test(error.message)
    )
  })

  void it('documents longer than the RAM limit, counting characters', () => {
    const ofLength = (length: number) => {
      const bare = doc({ ...allowAll, Sid: '' })
      return doc({ ...allowAll, Sid: 'é'.repeat(length - bare.length) })
    }
    assert.equal(parsePolicyDocument(ofLength(MAX_POLICY_DOCUMENT_LENGTH)).statements.length, 1)
    const tooLong = ofLength(MAX_POLICY_DOCUMENT_LENGTH + 1)
    rejects(tooLong, 'document: 6145 characters, the limit is 6144', 'PolicyDocumentTooLong')
  })
})

void describe('parsePolicyDocument normalises', () => {
  void it('single strings to lists and the Not forms to negated lists', () => {
    const parsed = parsePolicyDocument(
      doc({
        Sid: 'ro',
        Effect: 'Deny',
        NotAction: 'hdm:Get*',
        Resource: ['acs:hdm:*:*:instance/a-*', '*'],
      })
    )
    assert.deepStrictEqual(parsed, {
      version: '1',
      statements: [
        {
          sid: 'ro',
          effect: 'Deny',
          action: { negated: true, patterns: ['hdm:Get*'] },
          resource: { negated: false, patterns: ['acs:hdm:*:*:instance/a-*', '*'] },
          conditions: [],
        },
      ],
    })
  })

  void it('condition values to their types', () => {
    const parsed = parsePolicyDocument(
      withCondition({
        NumericEquals: { 'x:n': ['1', 2.5, '1e3'] },
        DateLessThan: { 'acs:CurrentTime': ['2025-01-01T08:00:00+08:00', '2025-01-02'] },
        Bool: { 'acs:SecureTransport': ['TRUE', false] },
        IpAddress: { 'acs:SourceIp': ['::ffff:10.0.0.0/104', '::ffff:192.0.2.1', '2001:db8::/32'] },
      })
    )
    const conditions = parsed.statements[0]?.conditions ?? []
    const values = conditions.map((c) =>
      c.family === 'Ip'
        ? c.values.map((r) => `${r.address.toString()}/${r.prefixLength}`)
        : c.values
    )
    assert.deepStrictEqual(values, [
      [1, 2.5, 1000],
      [Date.parse('2025-01-01T00:00:00Z'), Date.parse('2025-01-02T00:00:00Z')],
      [true, false],
      ['10.0.0.0/8', '192.0.2.1/32', '2001:db8::/32'],
    ])
  })
})
