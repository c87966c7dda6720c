import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testLogger } from '../support/test-logs.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { assertCode, call, dataOf, get } from '../replicas/support/rpc-call.ts'
import {
  clusterUnavailableReason,
  startPostgresCluster,
  type PostgresCluster,
} from './postgres-cluster.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

/**
 * A running server whose PostgreSQL goes away (docs/deployment.md "PostgreSQL restarts"): signed
 * requests and the health check answer ServiceUnavailable 503, never a 500, and the server lives.
 */
const skip = clusterUnavailableReason()
const ADMIN = { accessKeyId: 'pgDownAdminKey01', accessKeySecret: 'pg-down-admin-secret-5d' }

void describe('a server whose PostgreSQL stops', { skip: skipOutsideCi(skip) }, () => {
  let cluster: PostgresCluster | undefined
  let server: RunningServer | undefined
  let dataDir = ''

  before(async () => {
    cluster = await startPostgresCluster()
    dataDir = await makeTempDir('rs-pg-down-')
    const env = {
      DATABASE_URL: cluster.url('postgres'),
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'pg-down-console-password-8a',
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
    }
    server = await startServer(loadConfig(env, { port: 0, dataDir }), testLogger('postgres-down'))
  })
  after(async () => {
    await server?.close()
    await cluster?.stop()
    await removeTempDir(dataDir)
  })

  void it('answers ServiceUnavailable 503 while the database cannot be reached', async () => {
    const url = server?.url ?? assert.fail('no server')
    dataOf(await call(url, 'DescribeRedisInstances', {}, ADMIN))
    await cluster?.stop()
    const answer = await call(url, 'DescribeRedisInstances', {}, ADMIN)
    assertCode(answer, 'ServiceUnavailable')
    assert.equal(answer.status, 503)
    const health = await get(url, '/healthz')
    assert.equal(health.status, 503, health.text)
    assert.equal(health.json['Code'], 'ServiceUnavailable')
  })
})
