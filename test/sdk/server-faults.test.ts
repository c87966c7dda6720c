/**
 * The error codes that need the server in a particular state: a full nonce store (Throttling),
 * a source address that failed to sign in too often (Throttling.User), a store opened under
 * another master key (InternalError), a per-action rate limit (Throttling.API), HTTPS required
 * (InvalidProtocol.NeedSsl), and a request that arrives while the server closes
 * (ServiceUnavailable).
 * Each is checked raw and, where an SDK can be pointed at it, as the SDKs surface it.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ERROR_CATALOG } from '../../src/api/errors/catalog.ts'
import { createMemoryNonceStore } from '../../src/api/signature/nonce-store.ts'
import { openStore } from '../../src/store/open-store.ts'
import { startAuxApp, type AuxApp } from './aux-app.ts'
import { SERVER_FAULT_CODES } from './error-coverage.ts'
import { assertErrorResponse, send, v3Request } from './raw-request.ts'
import { callSdk } from './sdk-callers.ts'
import { ADMIN, ADMIN_PASSWORD, startSdkServer, type SdkServer } from './sdk-fixture.ts'

const NO_INSTANCE = 'r-fault-none'
const THREE_FAMILIES = ['openapi-core V3', 'openapi-client V3', 'pop-core GET'] as const

describe('server faults', () => {
  let sdk: SdkServer | undefined
  const apps: AuxApp[] = []
  const closers: Array<() => Promise<void>> = []

  before(async () => {
    sdk = await startSdkServer()
  })

  after(async () => {
    for (const aux of apps) await aux.app.close()
    for (const close of closers) await close()
    await sdk?.close()
  })

  const started = async (aux: Promise<AuxApp>): Promise<AuxApp> => {
    apps.push(await aux)
    return aux
  }

  const FAULTS: Record<(typeof SERVER_FAULT_CODES)[number], () => Promise<void>> = {
    // The nonce store refuses to forget a nonce it cannot keep: it asks the caller to retry.
    async Throttling() {
      assert.ok(sdk !== undefined)
      const aux = await started(
        startAuxApp(sdk.store, { nonces: createMemoryNonceStore({ maxEntries: 1 }) })
      )
      const first = await send(v3Request(aux.url, ADMIN, NO_INSTANCE))
      await assertErrorResponse(first, 'InvalidInstanceId.NotFound', 404) // its nonce fills it
      const refused = await send(v3Request(aux.url, ADMIN, NO_INSTANCE))
      assert.match(refused.headers.get('x-acs-retry-after') ?? '', /^[1-9]\d*$/)
      await assertErrorResponse(refused, 'Throttling', 400)
      const core = await callSdk('openapi-core V3', aux, ADMIN, { query: { InstanceId: 'r-x' } })
      assert.ok(!core.ok)
      assert.equal(core.errorClass, 'ThrottlingError')
      assert.equal(core.code, 'Throttling')
      assert.equal(core.status, 400)
      assert.ok(typeof core.retryAfter === 'number' && core.retryAfter > 0, 'retryAfter')
      const pop = await callSdk('pop-core GET', aux, ADMIN, { query: { InstanceId: 'r-x' } })
      assert.ok(!pop.ok)
      assert.equal(pop.code, 'Throttling')
    },

    // Console sign-in: the 11th attempt from one address within the window is refused unread.
    async 'Throttling.User'() {
      assert.ok(sdk !== undefined)
      const aux = await started(startAuxApp(sdk.store))
      const signIn = (password: string) =>
        fetch(`${aux.url}/console/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ UserName: 'admin', Password: password }),
        })
      for (let attempt = 1; attempt <= 10; attempt++) {
        await assertErrorResponse(await signIn(`wrong-${attempt}`), 'InvalidParams', 400)
      }
      const refused = await signIn(ADMIN_PASSWORD)
      assert.match(refused.headers.get('x-acs-retry-after') ?? '', /^[1-9]\d*$/)
      await assertErrorResponse(refused, 'Throttling.User', 400)
    },

    // Secrets sealed under another master key cannot be opened: a server fault, never echoed.
    async InternalError() {
      assert.ok(sdk !== undefined)
      const store = await openStore({ dataDir: sdk.dataDir, masterKey: randomBytes(32) })
      closers.push(() => store.close())
      const aux = await started(startAuxApp(store))
      const body = await assertErrorResponse(
        await send(v3Request(aux.url, ADMIN, NO_INSTANCE)),
        'InternalError',
        500
      )
      assert.equal(body['Message'], ERROR_CATALOG.InternalError.message)
      assert.equal(body['Detail'], undefined, 'internals are not echoed')
      for (const family of THREE_FAMILIES) {
        const outcome = await callSdk(family, aux, ADMIN, { query: { InstanceId: NO_INSTANCE } })
        assert.ok(!outcome.ok, family)
        assert.equal(outcome.code, 'InternalError', family)
        assert.equal(outcome.status, 500, family)
        if (family === 'openapi-core V3') assert.equal(outcome.errorClass, 'ServerError')
      }
    },

    // REDIS_SESSIONS_API_RATE_LIMIT=GetRedisAllSession=0.01: one call per 100 s for everyone.
    async 'Throttling.API'() {
      assert.ok(sdk !== undefined)
      const aux = await started(
        startAuxApp(sdk.store, {
          apiRateLimits: { perAction: new Map([['GetRedisAllSession', 0.01]]) },
        })
      )
      const first = await send(v3Request(aux.url, ADMIN, NO_INSTANCE))
      await assertErrorResponse(first, 'InvalidInstanceId.NotFound', 404) // spends the one token
      const refused = await send(v3Request(aux.url, ADMIN, NO_INSTANCE))
      assert.equal(refused.headers.get('x-acs-retry-after'), '100')
      const body = await assertErrorResponse(refused, 'Throttling.API', 400)
      assert.match(String(body['Detail']), /GetRedisAllSession .*from all callers/)
      for (const family of THREE_FAMILIES) {
        const outcome = await callSdk(family, aux, ADMIN, { query: { InstanceId: NO_INSTANCE } })
        assert.ok(!outcome.ok, family)
        assert.equal(outcome.code, 'Throttling.API', family)
        if (family === 'openapi-core V3') {
          assert.equal(outcome.errorClass, 'ThrottlingError')
          assert.equal(outcome.retryAfter, 100)
        }
      }
      // Other actions keep their own budget (none here).
      const other = await send(
        v3Request(aux.url, ADMIN, NO_INSTANCE, {
          headers: { 'x-acs-action': 'DescribeRedisInstances' },
          query: {},
        })
      )
      assert.equal(other.status, 200, await other.text())
    },

    // REDIS_SESSIONS_REQUIRE_HTTPS=true behind a trusted proxy: only X-Forwarded-Proto https passes.
    async 'InvalidProtocol.NeedSsl'() {
      assert.ok(sdk !== undefined)
      const aux = await started(
        startAuxApp(sdk.store, { requireHttps: true, trustedProxies: ['loopback'] })
      )
      await assertErrorResponse(
        await send(v3Request(aux.url, ADMIN, NO_INSTANCE)),
        'InvalidProtocol.NeedSsl',
        400
      )
      const signIn = await fetch(`${aux.url}/console/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ UserName: 'admin', Password: ADMIN_PASSWORD }),
      })
      await assertErrorResponse(signIn, 'InvalidProtocol.NeedSsl', 400)
      for (const family of THREE_FAMILIES) {
        const outcome = await callSdk(family, aux, ADMIN, { query: { InstanceId: NO_INSTANCE } })
        assert.ok(!outcome.ok, family)
        assert.equal(outcome.code, 'InvalidProtocol.NeedSsl', family)
        assert.equal(outcome.status, 400, family)
      }
      const viaTls = await send(
        v3Request(aux.url, ADMIN, NO_INSTANCE, { unsigned: { 'x-forwarded-proto': 'https' } })
      )
      await assertErrorResponse(viaTls, 'InvalidInstanceId.NotFound', 404)
      const health = await fetch(`${aux.url}/healthz`)
      assert.equal(health.status, 200, 'load balancers may probe in plain HTTP')
    },

    // A request that arrives while the server closes: our JSON 503, not Fastify's own body.
    async ServiceUnavailable() {
      assert.ok(sdk !== undefined)
      let closingStarted = (): void => undefined
      const closingSeen = new Promise<void>((resolve) => (closingStarted = resolve))
      let release = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      // Holds the app between "closing" and "stop listening", where requests still arrive.
      const aux = await startAuxApp(sdk.store, {
        prepare: (app) =>
          app.addHook('preClose', async () => {
            closingStarted()
            await gate
          }),
      })
      const closed = aux.app.close()
      try {
        await closingSeen
        const response = await send(v3Request(aux.url, ADMIN, NO_INSTANCE))
        await assertErrorResponse(response, 'ServiceUnavailable', 503)
        const pop = await callSdk('pop-core GET', aux, ADMIN, { query: { InstanceId: 'r-x' } })
        assert.ok(!pop.ok, `pop-core took the 503 for a success: ${JSON.stringify(pop)}`)
        assert.equal(pop.code, 'ServiceUnavailable')
      } finally {
        release()
        await closed
      }
    },
  }

  for (const code of SERVER_FAULT_CODES) {
    it(`answers ${code} (${ERROR_CATALOG[code].httpStatus})`, FAULTS[code])
  }
})
