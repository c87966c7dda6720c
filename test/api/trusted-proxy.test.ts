import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import { testLogger } from '../support/test-logs.ts'
import { MAX_FAILED_SIGN_INS } from '../../src/api/console/sign-in-throttle.ts'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import type { Store } from '../../src/store/store.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type InjectedResponse,
} from './support/signed-inject.ts'
import {
  createTestApp,
  createUserWithPolicy,
  type TestApp,
  type TestCredentials,
} from './support/test-app.ts'

/** CreateUser (audited) only from 203.0.113.0/24. */
const OFFICE_ONLY = {
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ram:CreateUser',
      Resource: '*',
      Condition: { IpAddress: { 'acs:SourceIp': ['203.0.113.0/24'] } },
    },
  ],
}

/** CreateUser only over HTTPS. */
const HTTPS_ONLY = {
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ram:CreateUser',
      Resource: '*',
      Condition: { Bool: { 'acs:SecureTransport': true } },
    },
  ],
}

/** A peer that is not the proxy (TEST-NET-1). */
const STRANGER = '192.0.2.1'

/** The `trustedProxies` the server gets from `REDIS_SESSIONS_TRUST_PROXY=<value>`. */
const trustFromEnv = (value: string): readonly string[] =>
  loadConfig({ REDIS_SESSIONS_TRUST_PROXY: value }, { dataDir: '.' }).trustedProxies

/** Policy users and a CreateUser call as one of them, with forwarding headers and a peer. */
function harness(t: () => TestApp) {
  let users = 0
  let office: TestCredentials | undefined
  let https: TestCredentials | undefined
  return {
    async setUp(): Promise<void> {
      office = await createUserWithPolicy(t().store, 'office', OFFICE_ONLY)
      https = await createUserWithPolicy(t().store, 'tls', HTTPS_ONLY)
    },
    /** CreateUser signed by `as`, with `headers` added, from socket peer `remoteAddress`. */
    createUser(
      as: 'office' | 'https',
      headers: Record<string, string>,
      remoteAddress?: string
    ): Promise<InjectedResponse> {
      const key = as === 'office' ? office : https
      assert.ok(key, 'setUp() ran')
      users += 1
      return signedInject(t().app, {
        action: 'CreateUser',
        params: { UserName: `made-${users}` },
        ...key,
        headers,
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
      })
    },
  }
}

/** `SourceIp` the audit log recorded for the request that answered `response`. */
async function auditedSourceIp(store: Store, response: { json: object }): Promise<string> {
  const requestId = 'RequestId' in response.json ? response.json.RequestId : undefined
  assert.equal(typeof requestId, 'string', 'the answer has a RequestId')
  const { events } = await store.audit.query({ pageNumber: 1, pageSize: 1000 })
  const event = events.find((candidate) => candidate.requestId === requestId)
  assert.ok(event, `no audit event for ${String(requestId)}`)
  return event.sourceIp
}

void describe('REDIS_SESSIONS_TRUST_PROXY unset (the default)', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const calls = harness(t)

  before(async () => {
    assert.deepEqual(trustFromEnv(''), [])
    test = await createTestApp({ trustedProxies: trustFromEnv('') })
    await calls.setUp()
  })
  after(async () => {
    await test?.close()
  })

  void it('ignores X-Forwarded-For: acs:SourceIp and the audit log see the socket peer', async () => {
    const denied = await calls.createUser('office', { 'x-forwarded-for': '203.0.113.9' })
    assertApiError(denied, 'NoPermission', 403)
    assert.equal(await auditedSourceIp(t().store, denied), '127.0.0.1')
    assert.equal(await t().store.users.get('made-1'), undefined)
  })

  void it('ignores X-Forwarded-Proto: acs:SecureTransport stays false over plain HTTP', async () => {
    const denied = await calls.createUser('https', { 'x-forwarded-proto': 'https' })
    assertApiError(denied, 'NoPermission', 403)
  })
})

void describe('REDIS_SESSIONS_TRUST_PROXY=127.0.0.1 (inject connections come from 127.0.0.1)', () => {
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const calls = harness(t)

  before(async () => {
    test = await createTestApp({ trustedProxies: trustFromEnv('127.0.0.1') })
    await calls.setUp()
  })
  after(async () => {
    await test?.close()
  })

  void it('allows a client in 203.0.113.0/24 named by the proxy, and audits its address', async () => {
    const allowed = await calls.createUser('office', { 'x-forwarded-for': '203.0.113.9' })
    dataOf(allowed)
    assert.equal(await auditedSourceIp(t().store, allowed), '203.0.113.9')
  })

  void it('denies a client outside the range, and audits its address', async () => {
    const denied = await calls.createUser('office', { 'x-forwarded-for': '198.51.100.7' })
    assertApiError(denied, 'NoPermission', 403)
    assert.equal(await auditedSourceIp(t().store, denied), '198.51.100.7')
  })

  void it('believes the entry the proxy appended, not one the client wrote before it', async () => {
    // nginx's $proxy_add_x_forwarded_for appends the peer it saw to what the client sent.
    const forged = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' }
    const denied = await calls.createUser('office', forged)
    assertApiError(denied, 'NoPermission', 403)
    assert.equal(await auditedSourceIp(t().store, denied), '198.51.100.7')
  })

  void it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.9' }
    const denied = await calls.createUser('office', forwarded, STRANGER)
    assertApiError(denied, 'NoPermission', 403)
    assert.equal(await auditedSourceIp(t().store, denied), STRANGER)
  })

  void it('takes X-Forwarded-Proto: https for acs:SecureTransport from the proxy only', async () => {
    dataOf(await calls.createUser('https', { 'x-forwarded-proto': 'https' }))
    const plain = await calls.createUser('https', { 'x-forwarded-proto': 'http' })
    assertApiError(plain, 'NoPermission', 403)
    const claimed = await calls.createUser('https', { 'x-forwarded-proto': 'https' }, STRANGER)
    assertApiError(claimed, 'NoPermission', 403)
  })

  void it('counts failed console sign-ins per forwarded client and audits its address', async () => {
    const signIn = async (client: string) => {
      const response = await t().app.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        payload: JSON.stringify({ UserName: 'admin', Password: 'not-the-password' }),
      })
      const json: unknown = JSON.parse(response.body)
      assert.ok(isJsonObject(json), response.body)
      return { status: response.statusCode, text: response.body, json, headers: response.headers }
    }
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      assertApiError(await signIn('203.0.113.9'), 'InvalidParams', 400)
    }
    assertApiError(await signIn('203.0.113.9'), 'Throttling.User', 400)
    // Another client behind the same proxy is not locked out with it.
    const other = await signIn('203.0.113.10')
    assertApiError(other, 'InvalidParams', 400)
    assert.equal(await auditedSourceIp(t().store, other), '203.0.113.10')
  })
})

void describe('each accepted form of REDIS_SESSIONS_TRUST_PROXY, as Fastify applies it', () => {
  // [variable, a peer it trusts, a peer it does not]
  const cases: Array<[string, string, string]> = [
    ['10.0.0.11', '10.0.0.11', '10.0.0.12'],
    ['10.0.0.0/8', '10.1.2.3', '11.0.0.1'],
    ['::1', '::1', '::2'],
    ['2001:db8::/32', '2001:db8::5', '2001:db9::5'],
    ['::ffff:10.0.0.0/104', '10.9.9.9', '11.0.0.1'],
    ['loopback', '127.0.0.2', STRANGER],
    ['linklocal', 'fe80::1', '2001:db8::1'],
    ['uniquelocal', '192.168.1.1', STRANGER],
    ['10.0.0.11, 10.0.0.12', '10.0.0.12', '10.0.0.13'],
  ]
  for (const [value, trusted, untrusted] of cases) {
    void it(`${value}: X-Forwarded-For from ${trusted} is the client, from ${untrusted} not`, async () => {
      const app = Fastify({ trustProxy: [...trustFromEnv(value)] })
      app.get('/', (request, reply) => reply.send({ ip: request.ip }))
      try {
        const ipFrom = async (remoteAddress: string) => {
          const response = await app.inject({
            url: '/',
            remoteAddress,
            headers: { 'x-forwarded-for': '203.0.113.9' },
          })
          const json: unknown = JSON.parse(response.body)
          assert.ok(isJsonObject(json))
          return json['ip']
        }
        assert.equal(await ipFrom(trusted), '203.0.113.9')
        assert.equal(await ipFrom(untrusted), untrusted)
      } finally {
        await app.close()
      }
    })
  }
})

void describe('startServer with REDIS_SESSIONS_TRUST_PROXY, over a real socket', () => {
  const admin = { accessKeyId: 'trustProxyAdmin', accessKeySecret: 'trust-proxy-admin-secret-7c' }
  let server: RunningServer | undefined
  let dataDir = ''
  let office: TestCredentials | undefined

  before(async () => {
    dataDir = await makeTempDir('rs-trust-proxy-')
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: admin.accessKeySecret,
      // Given, so startServer prints no generated password into the test output.
      REDIS_SESSIONS_ADMIN_PASSWORD: 'trust-proxy-console-password-4e',
      REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
      REDIS_SESSIONS_TRUST_PROXY: 'loopback',
    }
    const config = loadConfig(env, { host: '127.0.0.1', port: 0, dataDir })
    server = await startServer(config, testLogger('trusted-proxy'))
    office = await createUserWithPolicy(server.store, 'office', OFFICE_ONLY)
  })
  after(async () => {
    await server?.close()
    await removeTempDir(dataDir)
  })

  void it('passes the setting to the app: acs:SourceIp and the audit log see X-Forwarded-For', async () => {
    assert.ok(server && office)
    const call = async (userName: string, client: string) => {
      assert.ok(server && office)
      const signed = buildSignedRequest({
        endpoint: server.url,
        scheme: 'V3',
        action: 'CreateUser',
        params: { UserName: userName },
        ...office,
      })
      const response = await fetch(signed.url, {
        method: signed.method,
        headers: { ...signed.headers, 'x-forwarded-for': client },
        ...(signed.body.length === 0 ? {} : { body: signed.body }),
      })
      const json: unknown = JSON.parse(await response.text())
      assert.ok(isJsonObject(json))
      return { status: response.status, json }
    }
    const allowed = await call('from-office', '203.0.113.9')
    assert.equal(allowed.status, 200, JSON.stringify(allowed.json))
    assert.equal(await auditedSourceIp(server.store, allowed), '203.0.113.9')
    const denied = await call('from-elsewhere', '198.51.100.7')
    assert.equal(denied.json['Code'], 'NoPermission')
    assert.equal(await auditedSourceIp(server.store, denied), '198.51.100.7')
    assert.equal(await server.store.users.get('from-elsewhere'), undefined)
  })
})
