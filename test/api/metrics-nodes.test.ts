import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { parsePrometheusText, sampleValue, samplesNamed } from '../support/prometheus-text.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { createMetricsApp } from './support/metrics-app.ts'
import { dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-proxies'

describe('per-node metrics of a multi-node instance', () => {
  let alive: RedisServerHandle
  let dead: RedisServerHandle
  let testApp: TestApp
  let app: FastifyInstance

  before(async () => {
    ;[alive, dead] = await Promise.all([startRedisServer(), startRedisServer()])
    testApp = await createTestApp()
    app = await createMetricsApp(testApp)
    // `nodes`: each endpoint is asked as given, so one node can fail while the other answers.
    await testApp.store.instances.add({
      instanceId: INSTANCE,
      topology: 'nodes',
      endpoints: [`127.0.0.1:${alive.port}`, `127.0.0.1:${dead.port}`],
    })
  })

  after(async () => {
    await app?.close()
    await testApp?.close()
    await Promise.all([alive?.stop(), dead?.stop()])
  })

  const collectAndScrape = async () => {
    const response = await signedInject(app, {
      action: 'GetRedisAllSession',
      params: { InstanceId: INSTANCE },
      ...testApp.admin,
    })
    dataOf(response)
    const scraped = await app.inject({ method: 'GET', url: '/metrics' })
    return parsePrometheusText(scraped.body)
  }

  it('reports the failed node down with its error code, the other up', async () => {
    dead.kill()
    const families = await collectAndScrape()
    const up = { instance: INSTANCE, node: `${INSTANCE}-proxy-0#${alive.port}`, role: 'proxy' }
    const down = { instance: INSTANCE, node: `${INSTANCE}-proxy-1#${dead.port}`, role: 'proxy' }
    assert.equal(sampleValue(families, 'redis_sessions_node_up', up), 1)
    assert.equal(sampleValue(families, 'redis_sessions_node_up', down), 0)
    assert.equal(sampleValue(families, 'redis_sessions_sessions', down), undefined)
    assert.equal(typeof sampleValue(families, 'redis_sessions_sessions', up), 'number')
    const error = { instance: INSTANCE, node: down.node, code: 'ConnectFailed' }
    assert.equal(sampleValue(families, 'redis_sessions_collect_errors_total', error), 1)
  })

  it('removes the series of a node that left the instance', async () => {
    await testApp.store.instances.update(INSTANCE, { endpoints: [`127.0.0.1:${alive.port}`] })
    const families = await collectAndScrape()
    const nodes = samplesNamed(families, 'redis_sessions_node_up').map((s) => s.labels['node'])
    assert.deepEqual(nodes, [`${INSTANCE}-proxy-0#${alive.port}`])
    const mentionsDead = [...families.values()]
      .flatMap((family) => family.samples)
      .filter((sample) => sample.labels['node']?.endsWith(`#${dead.port}`) === true)
    assert.deepEqual(mentionsDead, [])
  })
})
