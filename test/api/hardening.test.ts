import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createApp, DEFAULT_BODY_LIMIT_BYTES } from '../../src/api/create-app.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { createMetrics } from '../../src/metrics/create-metrics.ts'
import { startServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { testLogger } from '../support/test-logs.ts'
import { makeSelfSignedCertificate } from '../support/tls-cert.ts'
import { isJsonObject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

// Written out rather than imported, so that a change to the policies fails here. Every HTML
// answer gets the console page's policy; everything else the data policy.
const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; " +
  "object-src 'none'"
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
const HSTS = 'max-age=31536000'

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

  it('sends exactly that CSP on the real console page', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml' },
    })
    // 503 with a "not built" page when web/dist is missing: the same headers either way.
    assert.ok([200, 503].includes(response.statusCode), String(response.statusCode))
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assertSecurityHeaders(response.headers, HTML_CSP)
  })

  it('sends no Strict-Transport-Security over plain HTTP (RFC 6797 §7.2)', async () => {
    for (const url of ['/healthz', '/?Action=GetRedisAllSession']) {
      const response = await app.inject({ method: 'GET', url })
      assert.equal(response.headers['strict-transport-security'], undefined, url)
    }
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

describe('slow clients', () => {
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

  it('closes a connection whose body never ends, with 408', { timeout: 20_000 }, async () => {
    const testApp = await createTestApp()
    // Headers arrive at once; the body (announced 64 bytes) trickles, then stops.
    const timeouts = { keepAliveMs: 100, headersMs: 300, requestMs: 600, checkIntervalMs: 50 }
    const app = createApp({ services: testApp.services, actions: new Map(), timeouts })
    try {
      await app.listen({ host: '127.0.0.1', port: 0 })
      const address = app.server.address()
      assert.ok(typeof address === 'object' && address !== null)
      let trickle: NodeJS.Timeout | undefined
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: address.port })
        let received = ''
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
        socket.on('close', () => resolve(received))
        socket.on('error', reject)
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 64\r\n\r\nA'
        )
        let sent = 1
        trickle = setInterval(() => {
          if (sent < 20 && !socket.destroyed) socket.write('a', () => sent++)
        }, 50)
      }).finally(() => clearInterval(trickle))
      assert.match(answer, /^HTTP\/1\.1 408 /)
    } finally {
      await app.close()
      await testApp.close()
    }
  })
})

describe('network exposure', () => {
  const ADMIN_ENV = {
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: 'hardeningAdmin',
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: randomBytes(18).toString('base64url'),
    REDIS_SESSIONS_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    REDIS_SESSIONS_MASTER_KEY: randomBytes(32).toString('hex'),
    REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
  }

  it('binds 127.0.0.1 by default: loadConfig, and the listening socket itself', async () => {
    assert.equal(loadConfig({}).host, '127.0.0.1')
    const dataDir = await makeTempDir('rs-bind-')
    // No HOST, no --host: whatever the server binds by itself.
    const server = await startServer(
      loadConfig(ADMIN_ENV, { port: 0, dataDir }),
      testLogger('bind')
    )
    try {
      const port = Number(new URL(server.url).port)
      assert.deepEqual(await listeners(port), ['127.0.0.1'])
      // Another loopback address of this machine is refused: nothing listens there.
      await assert.rejects(connectTo('127.0.0.2', port), /ECONNREFUSED/)
      await connectTo('127.0.0.1', port)
    } finally {
      await server.close()
      await removeTempDir(dataDir)
    }
  })

  it('over HTTPS: Strict-Transport-Security on every answer, the console page too', async () => {
    const dir = await makeTempDir('rs-hsts-')
    const testApp = await createTestApp()
    let app: FastifyInstance | undefined
    try {
      const { cert, key } = await makeSelfSignedCertificate(dir)
      app = createApp({ services: testApp.services, actions: new Map(), https: { cert, key } })
      await app.listen({ host: '127.0.0.1', port: 0 })
      const address = app.server.address()
      assert.ok(typeof address === 'object' && address !== null)
      const get = (path: string, headers: Record<string, string> = {}) =>
        httpsGet({ port: address.port, path, ca: cert, headers })
      for (const [path, headers] of [
        ['/healthz', {}],
        ['/?Action=GetRedisAllSession', {}],
        ['/nope', {}],
        ['/', { accept: 'text/html' }],
      ] as const) {
        const response = await get(path, headers)
        assert.equal(response.headers['strict-transport-security'], HSTS, path)
        assertSecurityHeaders(response.headers, path === '/' ? HTML_CSP : DATA_CSP)
      }
    } finally {
      await app?.close()
      await testApp.close()
      await removeTempDir(dir)
    }
  })
})

/** Local addresses listening on TCP `port` (from /proc/net/tcp and tcp6; IPv4 dotted). */
async function listeners(port: number): Promise<string[]> {
  const found: string[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (local === undefined || state !== '0A') continue
      const [hex = '', portHex = ''] = local.split(':')
      if (Number.parseInt(portHex, 16) !== port) continue
      // /proc lists an IPv4 address as one little-endian 32-bit word.
      found.push(
        hex.length === 8
          ? [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.')
          : `[${hex}]`
      )
    }
  }
  return found
}

function connectTo(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', reject)
  })
}

/** GET over TLS, verifying the server's certificate against `ca`; resolves with the headers. */
function httpsGet(options: {
  port: number
  path: string
  ca: Buffer
  headers: Record<string, string>
}): Promise<{ status: number; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        ca: options.ca,
        headers: options.headers,
        agent: false,
      },
      (response) => {
        response.resume()
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers })
        )
      }
    )
    request.on('error', reject)
    request.end()
  })
}
