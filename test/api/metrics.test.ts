import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { AnyAction } from '../../src/api/actions/action.ts'
import { getRedisAllSession } from '../../src/api/actions/get-redis-all-session/handler.ts'
import { createApp } from '../../src/api/create-app.ts'
import { createMetrics } from '../../src/metrics/create-metrics.ts'
import { createInstanceSessions } from '../../src/service/instance-sessions.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import {
  parsePrometheusText,
  sampleValue,
  samplesNamed,
  type MetricFamily,
} from '../support/prometheus-text.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { assertApiError, dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-metrics'
const ACTIONS: ReadonlyMap<string, AnyAction> = new Map([
  [getRedisAllSession.name, getRedisAllSession],
])

/** The CLIENT LIST lines of the sessions we expect to see: not redis-cli's own, not ours. */
async function foreignClients(redis: RedisServerHandle): Promise<string[]> {
  const lines = (await redis.cli('CLIENT', 'LIST')).split('\n').filter((l) => l.startsWith('id='))
  return lines.filter((l) => !/ cmd=client\|list( |$)/.test(l) && !/ name=redis-sessions /.test(l))
}

async function scrape(app: FastifyInstance): Promise<Map<string, MetricFamily>> {
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  assert.equal(response.statusCode, 200, response.body.slice(0, 300))
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/)
  return parsePrometheusText(response.body)
}

describe('GET /metrics on a real redis-server', () => {
  let redis: RedisServerHandle
  let sessions: MixedSessions | undefined
  let testApp: TestApp
  let app: FastifyInstance
  let nodeLabels: { instance: string; node: string; role: string }

  before(async () => {
    redis = await startRedisServer()
    testApp = await createTestApp()
    const metrics = createMetrics()
    // The app of createTestApp has no metrics; this one shares its store and services.
    const services = {
      ...testApp.services,
      sessions: createInstanceSessions({
        resolve: (id) => testApp.services.deploymentOf(id),
        resultCacheMs: 0,
        onSnapshot: metrics.onSnapshot,
        onCollectError: metrics.onCollectError,
      }),
    }
    app = createApp({ services, actions: ACTIONS, metrics })
    await app.ready()
    await testApp.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
    nodeLabels = { instance: INSTANCE, node: `${INSTANCE}-db-0#${redis.port}`, role: 'master' }
    sessions = await openMixedSessions(redis, { count: 3, namePrefix: 'metrics' })
  })

  after(async () => {
    await sessions?.close()
    await app?.close()
    await testApp?.close()
    await redis?.stop()
  })

  const call = () =>
    signedInject(app, {
      action: 'GetRedisAllSession',
      params: { InstanceId: INSTANCE },
      ...testApp.admin,
    })

  it('exports per-node gauges equal to CLIENT LIST minus our own connections', async () => {
    const expected = sessions?.expected.length ?? 0
    // Probe connections of the session opener may linger a moment: wait for a settled list.
    await waitFor(async () => (await foreignClients(redis)).length === expected, {
      what: 'the opened sessions only',
      timeoutMs: 10_000,
      intervalMs: 50,
    })
    dataOf(await call())
    const families = await scrape(app)
    const listed = await foreignClients(redis)
    assert.equal(listed.length, expected)
    assert.equal(sampleValue(families, 'redis_sessions_sessions', nodeLabels), listed.length)
    assert.equal(sampleValue(families, 'redis_sessions_node_up', nodeLabels), 1)
    const withFlag = (letter: string) =>
      listed.filter((l) => (/ flags=(\S+)/.exec(l)?.[1] ?? '').includes(letter)).length
    assert.equal(
      sampleValue(families, 'redis_sessions_blocked_sessions', nodeLabels),
      withFlag('b')
    )
    assert.equal(sampleValue(families, 'redis_sessions_pubsub_sessions', nodeLabels), withFlag('P'))
    assert.equal(withFlag('P'), 2, 'SUBSCRIBE and PSUBSCRIBE sessions')
    assert.equal(sampleValue(families, 'redis_sessions_idle_sessions', nodeLabels), 0)
    const source = { instance: INSTANCE, source: '127.0.0.1' }
    assert.equal(sampleValue(families, 'redis_sessions_source_sessions', source), listed.length)
    const instance = { instance: INSTANCE }
    assert.equal(
      sampleValue(families, 'redis_sessions_collect_duration_seconds_count', instance),
      1
    )
    const ok = { action: 'GetRedisAllSession', code: '200' }
    assert.equal(sampleValue(families, 'redis_sessions_http_requests_total', ok), 1)
    assert.equal(families.get('redis_sessions_process_cpu_user_seconds_total')?.type, 'counter')
  })

  it('shows node_up 0 and counts an error once the node is stopped', async () => {
    await redis.stop()
    assertApiError(await call(), 'InstanceConnectionFailed', 503)
    const families = await scrape(app)
    assert.equal(sampleValue(families, 'redis_sessions_node_up', nodeLabels), 0)
    assert.equal(sampleValue(families, 'redis_sessions_sessions', nodeLabels), undefined)
    const error = { instance: INSTANCE, node: 'topology', code: 'TopologyDiscoveryFailed' }
    assert.equal(sampleValue(families, 'redis_sessions_collect_errors_total', error), 1)
    const failed = { action: 'GetRedisAllSession', code: 'InstanceConnectionFailed' }
    assert.equal(sampleValue(families, 'redis_sessions_http_requests_total', failed), 1)
  })

  it('drops every series of an instance once it is deleted', async () => {
    await testApp.store.instances.delete(INSTANCE)
    assertApiError(await call(), 'InvalidInstanceId.NotFound', 404)
    const families = await scrape(app)
    const left = [...families.values()]
      .flatMap((family) => family.samples)
      .filter((sample) => sample.labels['instance'] === INSTANCE)
    assert.deepEqual(left, [])
    assert.equal(samplesNamed(families, 'redis_sessions_node_up').length, 0)
  })
})
