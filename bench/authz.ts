/**
 * `npm run bench -- authz`: µs per `evaluatePolicies` call for a principal with 5 policies
 * (allow, deny, instance globs, IP and time conditions, NotAction) over a mix of requests.
 * Target (task brief): ≤ 50 µs per evaluation. Documents are parsed once, as the API must do:
 * compiled matchers are cached per document object.
 */
import {
  evaluatePolicies,
  type AuthzRequest,
  type NamedPolicy,
} from '../src/api/authz/evaluate-policy.ts'
import { parsePolicyDocument } from '../src/api/authz/policy-document.ts'
import { ALL_RESOURCES, instanceArn } from '../src/api/authz/resource-arn.ts'

const EVALUATIONS = 200_000
const RUNS = 7

const policy = (name: string, ...Statement: object[]): NamedPolicy => ({
  name,
  document: parsePolicyDocument(JSON.stringify({ Version: '1', Statement })),
})

const POLICIES: NamedPolicy[] = [
  policy('read', { Effect: 'Allow', Action: ['hdm:Get*', 'hdm:Describe*'], Resource: '*' }),
  policy('no-kill-prod', {
    Effect: 'Deny',
    Action: 'hdm:Kill*',
    Resource: ['acs:hdm:*:*:instance/prod-*', 'acs:hdm:*:*:instance/*-live'],
  }),
  policy('team-a', {
    Effect: 'Allow',
    Action: 'hdm:*',
    Resource: 'acs:hdm:*:*:instance/team-a-*',
    Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '192.168.0.0/16', '::1'] } },
  }),
  policy('office-hours', {
    Effect: 'Allow',
    NotAction: ['hdm:Delete*', 'hdm:Add*'],
    Resource: '*',
    Condition: {
      DateGreaterThan: { 'acs:CurrentTime': '2025-01-01T00:00:00Z' },
      Bool: { 'acs:SecureTransport': true },
      StringLike: { 'acs:UserName': 'ops-*' },
    },
  }),
  policy('https-only', {
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { Bool: { 'acs:SecureTransport': false } },
  }),
]

const context = {
  sourceIp: '::ffff:10.1.2.3',
  currentTime: new Date('2025-06-01T12:00:00Z'),
  secureTransport: true,
  mfaPresent: false,
  accessKeyId: 'LTAI5tExample',
  userName: 'ops-alice',
}
const REQUESTS: AuthzRequest[] = [
  { action: 'hdm:GetRedisAllSession', resource: instanceArn('team-a-1'), context },
  { action: 'hdm:KillRedisSessions', resource: instanceArn('prod-7'), context },
  { action: 'hdm:DeleteRedisInstance', resource: instanceArn('team-b-1'), context },
  { action: 'hdm:DescribeRedisInstances', resource: ALL_RESOURCES, context },
]

/** Prints the median µs/evaluation over {@link RUNS} runs. */
export async function benchAuthz(): Promise<void> {
  let sink = 0
  const run = () => {
    const start = performance.now()
    for (let i = 0; i < EVALUATIONS; i++) {
      const request = REQUESTS[i % REQUESTS.length]
      if (request !== undefined && evaluatePolicies(POLICIES, request).effect === 'Allow') sink++
    }
    return ((performance.now() - start) * 1000) / EVALUATIONS
  }
  run() // warm-up: JIT and the compiled-document cache
  const times = Array.from({ length: RUNS }, run).sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN
  console.log(
    `authz: ${median.toFixed(3)} µs/evaluation (median of ${RUNS} × ${EVALUATIONS}, ` +
      `${POLICIES.length} policies, ${REQUESTS.length} request shapes; target ≤ 50 µs; checksum ${sink})`
  )
  await Promise.resolve()
}
