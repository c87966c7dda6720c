import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createActionRegistry } from '../../src/api/actions/registry.ts'
import { createApp } from '../../src/api/create-app.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/**
 * REDIS_SESSIONS_REQUIRE_HTTPS: plain HTTP is refused everywhere but `/healthz` and a
 * `/metrics` without bearer token (a token must not cross in clear). The SDK families and the
 * trusted-proxy case are in test/sdk/server-faults.test.ts.
 */
void describe('REDIS_SESSIONS_REQUIRE_HTTPS', () => {
  let test: TestApp

  before(async () => {
    test = await createTestApp()
  })
  after(async () => {
    await test?.close()
  })

  const appWith = (metricsToken: string | undefined) =>
    createApp({
      services: test.services,
      actions: createActionRegistry(),
      requireHttps: true,
      metricsToken,
    })

  void it('leaves /healthz and a token-less /metrics to plain HTTP, nothing else', async () => {
    const app = appWith(undefined)
    try {
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
      assert.equal((await app.inject({ url: '/metrics' })).statusCode, 200)
      for (const url of ['/', '/index.html', '/console/sign-in', '/nowhere']) {
        const response = await app.inject({ url })
        assert.match(response.body, /"Code":"InvalidProtocol\.NeedSsl"/, url)
      }
    } finally {
      await app.close()
    }
  })

  void it('refuses /metrics in plain HTTP when it has a bearer token', async () => {
    const app = appWith('metrics-token-1234')
    try {
      const response = await app.inject({
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-token-1234' },
      })
      assert.equal(response.statusCode, 400)
      assert.match(response.body, /"Code":"InvalidProtocol\.NeedSsl"/)
    } finally {
      await app.close()
    }
  })
})
