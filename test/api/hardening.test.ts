import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createApp, DEFAULT_BODY_LIMIT_BYTES } from '../../src/api/create-app.ts'
import { createMetrics } from '../../src/metrics/create-metrics.ts'
import { isJsonObject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

// Written out rather than imported, so that a change to the policies fails here.
const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'"

type Headers = Readonly<Record<string, string | string[] | number | undefined>>

function assertSecurityHeaders(headers: Headers, csp: string): void {
  assert.equal(headers['x-content-type-options'], 'nosniff')
  assert.equal(headers['x-frame-options'], 'DENY')
  assert.equal(headers['referrer-policy'], 'no-referrer')
  assert.equal(headers['content-security-policy'], csp)
}

function codeOf(body: string): unknown {
  const parsed: unknown = JSON.parse(body)
  assert.ok(isJsonObject(parsed), body)
  return parsed['Code']
}

describe('HTTP hardening', () => {
  let testApp: TestApp
  let app: FastifyInstance

  before(async () => {
    testApp = await createTestApp()
    // Same services and pipeline, plus one HTML route: the API itself serves no HTML.
    app = createApp({ services: testApp.services, actions: new Map(), metrics: createMetrics() })
    app.get('/page.html', (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>'))
    await app.ready()
  })
  after(async () => {
    await app?.close()
    await testApp?.close()
  })

  it('sends the security headers and the data CSP on JSON, errors and metrics', async () => {
    for (const url of ['/healthz', '/?Action=GetRedisAllSession', '/nope', '/metrics']) {
      const response = await app.inject({ method: 'GET', url })
      assertSecurityHeaders(response.headers, DATA_CSP)
    }
  })

  it('sends the strict page CSP on HTML', async () => {
    const response = await app.inject({ method: 'GET', url: '/page.html' })
    assert.equal(response.statusCode, 200)
    assertSecurityHeaders(response.headers, HTML_CSP)
  })

  it('answers no CORS: no Access-Control-* header, preflight included', async () => {
    const origin = { origin: 'https://evil.example' }
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    })
    const simple = await app.inject({ method: 'GET', url: '/healthz', headers: origin })
    for (const response of [preflight, simple]) {
      const cors = Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))
      assert.deepEqual(cors, [])
    }
    assert.ok(preflight.statusCode >= 400)
  })

  const paramsQuery = (n: number) => Array.from({ length: n }, (_, i) => `P${i}=x`).join('&')

  it('refuses more than 100 parameters (query or form) with InvalidParameter.Format', async () => {
    const inQuery = await app.inject({ method: 'GET', url: `/?${paramsQuery(101)}` })
    assert.equal(inQuery.statusCode, 400)
    assert.equal(codeOf(inQuery.body), 'InvalidParameter.Format')
    const inForm = await app.inject({
      method: 'POST',
      url: '/?P0=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: paramsQuery(101).replace('P0=x&', ''),
    })
    assert.equal(codeOf(inForm.body), 'InvalidParameter.Format')
    const atLimit = await app.inject({ method: 'GET', url: `/?${paramsQuery(100)}` })
    assert.notEqual(codeOf(atLimit.body), 'InvalidParameter.Format')
  })

  it('refuses a body over 1 MiB with 413 RequestBodyTooLarge, JSON', async () => {
    assert.equal(DEFAULT_BODY_LIMIT_BYTES, 1024 * 1024)
    const send = (bytes: number) =>
      app.inject({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: Buffer.alloc(bytes, 'a'),
      })
    const over = await send(DEFAULT_BODY_LIMIT_BYTES + 1)
    assert.equal(over.statusCode, 413)
    assert.equal(codeOf(over.body), 'RequestBodyTooLarge')
    assertSecurityHeaders(over.headers, DATA_CSP)
    const at = await send(DEFAULT_BODY_LIMIT_BYTES)
    assert.notEqual(codeOf(at.body), 'RequestBodyTooLarge')
  })

  it('keeps sockets alive ≥ 25 s, with the headers deadline above it', () => {
    const server = app.server
    assert.ok(server.keepAliveTimeout >= 25_000, `keepAliveTimeout ${server.keepAliveTimeout}`)
    assert.ok(server.headersTimeout > server.keepAliveTimeout, `headers ${server.headersTimeout}`)
    assert.ok(server.requestTimeout >= server.headersTimeout, `request ${server.requestTimeout}`)
  })
})

describe('slowloris', () => {
  it('closes a connection whose headers never end, with 408', { timeout: 20_000 }, async () => {
    const testApp = await createTestApp()
    const timeouts = { keepAliveMs: 100, headersMs: 300, requestMs: 60_000, checkIntervalMs: 50 }
    const app = createApp({ services: testApp.services, actions: new Map(), timeouts })
    try {
      await app.listen({ host: '127.0.0.1', port: 0 })
      const address = app.server.address()
      assert.ok(typeof address === 'object' && address !== null)
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: address.port })
        let received = ''
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
        socket.on('close', () => resolve(received))
        socket.on('error', reject)
        // Headers started, never finished: the server must not wait forever.
        socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n')
      })
      assert.match(answer, /^HTTP\/1\.1 408 /)
    } finally {
      await app.close()
      await testApp.close()
    }
  })
})
