import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { getRedisAllSession } from '../../src/api/actions/get-redis-all-session/handler.ts'
import { createApp } from '../../src/api/create-app.ts'
import { createMetrics } from '../../src/metrics/create-metrics.ts'
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts'
import { assertApiError, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const TOKEN = 'scrape-secret-7f3a'

describe('GET /metrics with REDIS_SESSIONS_METRICS_TOKEN, and the HTTP metrics', () => {
  let testApp: TestApp
  let app: FastifyInstance

  before(async () => {
    testApp = await createTestApp()
    const actions = new Map([[getRedisAllSession.name, getRedisAllSession]])
    app = createApp({
      services: testApp.services,
      actions,
      metrics: createMetrics(),
      metricsToken: TOKEN,
    })
    await app.ready()
  })

  after(async () => {
    await app?.close()
    await testApp?.close()
  })

  for (const [why, authorization] of [
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
  ] as const) {
    it(`answers 401 with a JSON error body for ${why}`, async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      })
      assert.equal(response.statusCode, 401)
      assert.match(String(response.headers['www-authenticate']), /^Bearer /)
      const body: unknown = JSON.parse(response.body)
      assert.ok(isJsonObject(body))
      assert.equal(body['Code'], 'NoPermission')
      assert.equal(typeof body['RequestId'], 'string')
      assert.doesNotMatch(response.body, new RegExp(TOKEN))
    })
  }

  it('labels requests by registered action (else none) and code', async () => {
    const credentials = testApp.admin
    const missing = { InstanceId: 'r-missing' }
    const r1 = await signedInject(app, {
      action: 'GetRedisAllSession',
      params: missing,
      ...credentials,
    })
    assertApiError(r1, 'InvalidInstanceId.NotFound', 404)
    assertApiError(
      await signedInject(app, { action: 'NoSuchAction', ...credentials }),
      'InvalidApi.NotFound',
      404
    )
    assert.equal((await app.inject({ method: 'GET', url: '/nope' })).statusCode, 404)
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    assert.equal(response.statusCode, 200)
    const families = parsePrometheusText(response.body)
    const total = (action: string, code: string) =>
      sampleValue(families, 'redis_sessions_http_requests_total', { action, code })
    assert.equal(total('GetRedisAllSession', 'InvalidInstanceId.NotFound'), 1)
    assert.equal(total('none', 'InvalidApi.NotFound'), 2)
    assert.equal(total('none', 'NoPermission'), 3, 'the three refused scrapes')
    assert.equal(total('NoSuchAction', 'InvalidApi.NotFound'), undefined)
    const count = (action: string) =>
      sampleValue(families, 'redis_sessions_http_request_duration_seconds_count', { action })
    assert.equal(count('GetRedisAllSession'), 1)
  })

  it('is open when no token is configured', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.ok(parsePrometheusText(response.body).has('redis_sessions_http_requests_total'))
  })
})
