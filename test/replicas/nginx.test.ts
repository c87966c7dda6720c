import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { callSdk, isRecord, type Target } from '../sdk/sdk-callers.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import {
  documentedConfig,
  nginxUnavailableReason,
  startNginx,
  type NginxFront,
} from './support/nginx-front.ts'
import { postgresUnavailableReason } from './support/postgres-database.ts'
import { ADMIN } from './support/replica-process.ts'
import { startReplicaStack, type ReplicaStack } from './support/replica-stack.ts'
import { assertCode, call, dataOf, send, signCall } from './support/rpc-call.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

/**
 * The nginx configuration of docs/deployment.md, run as written (only addresses replaced) in
 * front of two replicas on one PostgreSQL: official SDK calls pass through it (V3 signs `host`,
 * V1 does not), requests are spread over both replicas, a replay through it is refused by
 * whichever replica gets it, and the `$host` mistake the doc warns about breaks V3 signatures.
 */
const skip = postgresUnavailableReason() ?? nginxUnavailableReason()
const INSTANCE = 'r-behind-nginx'

void describe(
  'nginx in front of two replicas (docs/deployment.md)',
  { skip: skipOutsideCi(skip) },
  () => {
    let stack: ReplicaStack | undefined
    let redis: RedisServerHandle | undefined
    let nginx: NginxFront | undefined
    const front = (): NginxFront => nginx ?? assert.fail('no nginx')
    const target = (): Target => ({ url: front().url, endpoint: new URL(front().url).host })
    const upstreamAddresses = () => (stack?.replicas ?? []).map((r) => new URL(r.url).host)

    before(async () => {
      redis = await startRedisServer()
      stack = await startReplicaStack(['a', 'b'], { REDIS_SESSIONS_HISTORY_INTERVAL_S: '0' })
      nginx = await startNginx((port) => documentedConfig(upstreamAddresses(), port))
      const endpoint = { InstanceId: INSTANCE, Endpoints: `127.0.0.1:${redis.port}` }
      dataOf(await call(front().url, 'AddRedisInstance', endpoint, ADMIN))
    })
    after(async () => {
      await nginx?.stop()
      await stack?.stop()
      await redis?.stop()
    })

    void it('passes official SDK calls (openapi-core V3, pop-core V1) to the replicas', async () => {
      for (const family of ['openapi-core V3', 'pop-core GET'] as const) {
        const outcome = await callSdk(family, target(), ADMIN, { query: { InstanceId: INSTANCE } })
        assert.ok(outcome.ok, `${family}: ${JSON.stringify(outcome)}`)
        const data = outcome.body['Data']
        assert.ok(isRecord(data), `${family}: Data`)
        assert.equal(typeof data['Total'], 'number')
        assert.ok(Array.isArray(data['Sessions']))
      }
    })

    void it('spreads requests over both replicas', async () => {
      const before = (await front().upstreams()).length
      for (let i = 0; i < 6; i++) {
        dataOf(await call(front().url, 'DescribeRedisInstances', {}, ADMIN))
      }
      const served = new Set((await front().upstreams()).slice(before))
      assert.deepEqual([...served].sort(), upstreamAddresses().sort())
    })

    void it('refuses a replay through it, whichever replica gets it', async () => {
      const signed = signCall(front().url, 'DescribeRedisInstances', {}, ADMIN)
      const before = (await front().upstreams()).length
      dataOf(await send(front().url, signed))
      assertCode(await send(front().url, signed), 'SignatureNonceUsed')
      const [first, second] = (await front().upstreams()).slice(before)
      assert.notEqual(first, second, 'round robin: the replay went to the other replica')
    })

    void it('breaks V3 signatures when the Host header is rewritten with $host (the doc warning)', async () => {
      const wrong = await startNginx(async (port) =>
        (await documentedConfig(upstreamAddresses(), port)).replace(
          'proxy_set_header Host $http_host;',
          'proxy_set_header Host $host;'
        )
      )
      try {
        const endpoint = { url: wrong.url, endpoint: new URL(wrong.url).host }
        const v3 = await callSdk('openapi-core V3', endpoint, ADMIN, {
          query: { InstanceId: INSTANCE },
        })
        assert.ok(!v3.ok)
        assert.equal(v3.code, 'SignatureDoesNotMatch')
        // V1 signs no header: unaffected, which shows the proxy itself works.
        const v1 = await callSdk('pop-core GET', endpoint, ADMIN, {
          query: { InstanceId: INSTANCE },
        })
        assert.ok(v1.ok, JSON.stringify(v1))
      } finally {
        await wrong.stop()
      }
    })
  }
)
