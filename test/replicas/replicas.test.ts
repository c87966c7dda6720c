import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Redis } from 'ioredis'
import { openClient } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { postgresUnavailableReason } from './support/postgres-database.ts'
import { ADMIN, type Replica } from './support/replica-process.ts'
import { startReplicaStack, type ReplicaStack } from './support/replica-stack.ts'
import {
  assertCode,
  call,
  dataOf,
  isObject,
  postJson,
  send,
  signCall,
  type Credentials,
} from './support/rpc-call.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

/**
 * Two `redis-sessions serve` processes on one PostgreSQL database (docs/deployment.md): what
 * one replica writes or uses is seen by the other — nonces, keys, policies, aliases, instances,
 * console credentials, the audit log. The history sampler's leadership: sampler-failover.test.ts.
 */
const skip = postgresUnavailableReason()
/**
 * docs/deployment.md: a change made through one replica is seen by every replica at most 1 s
 * later (the alias and result caches, with REDIS_SESSIONS_RESULT_CACHE_MS at its default).
 */
const STALENESS_BOUND_MS = 1000

/**
 * Waits until the bound has passed since `changedAt` (`performance.now()` once the change was
 * answered), plus 50 ms of timer slack. A slow machine only waits longer, so the assertion that
 * follows can fail only when a cache outlives the bound.
 */
async function pastStalenessBound(changedAt: number): Promise<void> {
  const left = changedAt + STALENESS_BOUND_MS + 50 - performance.now()
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left))
}
const INSTANCE = 'r-replicas'
/** The name clients sign for when a load balancer fronts the replicas. */
const FRONT = 'http://sessions.example.test:8080'

void describe('two replicas on one PostgreSQL', { skip: skipOutsideCi(skip) }, () => {
  let stack: ReplicaStack | undefined
  let redis: RedisServerHandle | undefined
  let probe: Redis | undefined
  const replica = (index: 0 | 1): Replica => stack?.replicas[index] ?? assert.fail('no stack')
  const a = () => replica(0).url
  const b = () => replica(1).url

  before(async () => {
    redis = await startRedisServer()
    // History off: these tests look at API traffic only.
    stack = await startReplicaStack(['a', 'b'], { REDIS_SESSIONS_HISTORY_INTERVAL_S: '0' })
    probe = await openClient(redis, 'replica-probe')
  })
  after(async () => {
    probe?.disconnect()
    await stack?.stop()
    await redis?.stop()
  })

  void it('refuses on B a signed request already accepted on A (SignatureNonceUsed)', async () => {
    const signed = signCall(FRONT, 'DescribeRedisInstances', {}, ADMIN)
    dataOf(await send(a(), signed))
    assertCode(await send(b(), signed), 'SignatureNonceUsed')
    assertCode(await send(a(), signed), 'SignatureNonceUsed')
    // Control: the same request freshly signed passes on B, so only the nonce was refused.
    dataOf(await send(b(), signCall(FRONT, 'DescribeRedisInstances', {}, ADMIN)))
    const nonce = signed.headers['x-acs-signature-nonce'] ?? assert.fail('no nonce header')
    const rows = await stack?.db.query<{ n: number }>(
      'select count(*)::int as n from nonces where access_key_id = $1 and nonce = $2',
      [ADMIN.accessKeyId, Buffer.from(nonce)]
    )
    assert.deepEqual(rows, [{ n: 1 }], 'one row for the nonce in the shared table')
  })

  void it('accepts on B, at once, an AccessKey created through A, and refuses it once deactivated on A', async () => {
    const created = dataOf(await call(a(), 'CreateAccessKey', { UserName: 'admin' }, ADMIN))
    assert.ok(isObject(created) && isObject(created['AccessKey']))
    const { AccessKeyId: id, AccessKeySecret: secret } = created['AccessKey']
    assert.ok(typeof id === 'string' && typeof secret === 'string')
    const key: Credentials = { accessKeyId: id, accessKeySecret: secret }
    dataOf(await call(b(), 'DescribeRedisInstances', {}, key))
    const update = { UserAccessKeyId: id, Status: 'Inactive', UserName: 'admin' }
    dataOf(await call(a(), 'UpdateAccessKey', update, ADMIN))
    assertCode(await call(b(), 'DescribeRedisInstances', {}, key), 'InvalidAccessKeyId.Inactive')
  })

  void it('applies on B, at once, a user and a policy created on A', async () => {
    dataOf(await call(a(), 'CreateUser', { UserName: 'ops' }, ADMIN))
    const created = dataOf(await call(a(), 'CreateAccessKey', { UserName: 'ops' }, ADMIN))
    assert.ok(isObject(created) && isObject(created['AccessKey']))
    const { AccessKeyId: id, AccessKeySecret: secret } = created['AccessKey']
    assert.ok(typeof id === 'string' && typeof secret === 'string')
    const ops: Credentials = { accessKeyId: id, accessKeySecret: secret }
    assertCode(await call(b(), 'DescribeRedisInstances', {}, ops), 'NoPermission')
    const document = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:DescribeRedisInstances', Resource: '*' }],
    })
    const policy = { PolicyName: 'ReadInstances', PolicyDocument: document }
    dataOf(await call(a(), 'CreatePolicy', policy, ADMIN))
    const attach = { PolicyType: 'Custom', PolicyName: 'ReadInstances', UserName: 'ops' }
    dataOf(await call(a(), 'AttachPolicyToUser', attach, ADMIN))
    dataOf(await call(b(), 'DescribeRedisInstances', {}, ops))
  })

  void it('shows on B an alias set on A once the 1 s bound has passed (alias cache)', async () => {
    assert.ok(redis)
    const endpoint = { InstanceId: INSTANCE, Endpoints: `127.0.0.1:${redis.port}` }
    dataOf(await call(a(), 'AddRedisInstance', endpoint, ADMIN))
    const descOnB = async (): Promise<unknown> => {
      const data = dataOf(await call(b(), 'GetRedisAllSession', { InstanceId: INSTANCE }, ADMIN))
      assert.ok(isObject(data) && Array.isArray(data['Sessions']))
      const sessions: unknown[] = data['Sessions']
      const mine = sessions.find((s) => isObject(s) && s['Name'] === 'replica-probe')
      assert.ok(isObject(mine), 'the probe session is listed')
      return mine['ClientDesc']
    }
    // B has built its alias matcher (and cached a result) before the change.
    assert.equal(await descOnB(), '')
    dataOf(
      await call(a(), 'SetRedisClientAlias', { Cidr: '127.0.0.1', Description: 'via A' }, ADMIN)
    )
    // Once the documented bound has passed since the change, B's very next answer has it.
    await pastStalenessBound(performance.now())
    assert.equal(await descOnB(), 'via A', 'the alias set on A, in ClientDesc on B')
  })

  void it('forgets on B an instance deleted on A once the 1 s bound has passed (result cache)', async () => {
    dataOf(await call(b(), 'GetRedisAllSession', { InstanceId: INSTANCE }, ADMIN))
    dataOf(await call(a(), 'DeleteRedisInstance', { InstanceId: INSTANCE }, ADMIN))
    await pastStalenessBound(performance.now())
    const answer = await call(b(), 'GetRedisAllSession', { InstanceId: INSTANCE }, ADMIN)
    assert.equal(answer.json['Code'], 'InvalidInstanceId.NotFound', JSON.stringify(answer.json))
  })

  void it('accepts on B console credentials issued by A, and refuses them once signed out on A', async () => {
    const signIn = { UserName: ADMIN.userName, Password: ADMIN.password }
    const issued = await postJson(a(), '/console/sign-in', signIn)
    assert.equal(issued.status, 200, issued.text)
    const { AccessKeyId: id, AccessKeySecret: secret, SecurityToken: token } = issued.json
    assert.ok(typeof id === 'string' && typeof secret === 'string' && typeof token === 'string')
    const session: Credentials = { accessKeyId: id, accessKeySecret: secret, securityToken: token }
    dataOf(await call(b(), 'DescribeRedisInstances', {}, session))
    dataOf(await call(a(), 'DeleteConsoleSession', {}, session))
    assertCode(
      await call(b(), 'DescribeRedisInstances', {}, session),
      'InvalidAccessKeyId.NotFound'
    )
  })

  void it('keeps one audit log: both replicas answer the same events, written by either', async () => {
    const onB = await call(b(), 'CreateUser', { UserName: 'written-on-b' }, ADMIN)
    dataOf(onB)
    const page = { PageSize: '100' }
    const fromA = dataOf(await call(a(), 'DescribeAuditLog', page, ADMIN))
    const fromB = dataOf(await call(b(), 'DescribeAuditLog', page, ADMIN))
    assert.ok(isObject(fromA) && Array.isArray(fromA['Events']))
    assert.deepEqual(fromB, fromA)
    const events: unknown[] = fromA['Events']
    const actions = events.map((event) => (isObject(event) ? event['Action'] : undefined))
    for (const action of ['CreateAccessKey', 'ConsoleSignIn', 'DeleteConsoleSession']) {
      assert.ok(actions.includes(action), `${action} (done on A) is in the log`)
    }
    const requestIdOnB = onB.json['RequestId']
    assert.ok(
      events.some((event) => isObject(event) && event['RequestId'] === requestIdOnB),
      'the CreateUser done on B is in the log'
    )
  })
})
