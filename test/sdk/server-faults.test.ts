/**
 * The error codes that need the server in a particular state: a full nonce store (Throttling),
 * a source address that failed to sign in too often (Throttling.User), a store opened under
 * another master key (InternalError), a per-action rate limit (Throttling.API), HTTPS required
 * (InvalidProtocol.NeedSsl), and a request that arrives while the server closes
 * (ServiceUnavailable).
 * Each is checked raw and through every client family error-coverage.ts lists for it.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ERROR_CATALOG } from '../../src/api/errors/catalog.ts'
import { createMemoryNonceStore } from '../../src/api/signature/nonce-store.ts'
import { openStore } from '../../src/store/open-store.ts'
import { startAuxApp, type AuxApp } from './aux-app.ts'
import {
  SERVER_FAULT_CODES,
  SERVER_FAULT_FAMILIES,
  type ServerFaultCode,
} from './error-coverage.ts'
import { assertErrorResponse, send, v3Request } from './raw-request.ts'
import { callSdk, type Target } from './sdk-callers.ts'
import { ADMIN, ADMIN_PASSWORD, startSdkServer, type SdkServer } from './sdk-fixture.ts'

const NO_INSTANCE = 'r-fault-none'

/**
 * Calls `target` with every family error-coverage.ts lists for `code` and checks each surfaces
 * it: code, status, openapi-core's error class and, for throttling, the retry delay in whole
 * seconds where the client shows it (openapi-core `retryAfter`, pop-core's response headers):
 * `retryAfter` exactly, or any positive delay when it counts down (`'positive'`).
 */
async function assertThroughFamilies(
  code: ServerFaultCode,
  target: Target,
  retryAfter?: number | 'positive'
): Promise<void> {
  const status = ERROR_CATALOG[code].httpStatus
  for (const family of SERVER_FAULT_FAMILIES[code]) {
    const outcome = await callSdk(family, target, ADMIN, { query: { InstanceId: NO_INSTANCE } })
    assert.ok(!outcome.ok, `${family} took the ${status} for a success: ${JSON.stringify(outcome)}`)
    const seen = `${family}: ${JSON.stringify({ ...outcome, data: { ...outcome.data } })}`
    assert.equal(outcome.code, code, seen)
    assert.equal(outcome.status, status, seen)
    assert.equal(outcome.data['Code'], code, seen)
    if (family === 'openapi-core V3') {
      const errorClass = code.startsWith('Throttling')
        ? 'ThrottlingError'
        : status >= 500
          ? 'ServerError'
          : 'ClientError'
      assert.equal(outcome.errorClass, errorClass, seen)
    }
    if (retryAfter === undefined) continue
    const delay = retryAfter === 'positive' ? /^[1-9]\d*$/ : new RegExp(`^${retryAfter}$`)
    if (family === 'openapi-core V3') assert.match(String(outcome.retryAfter), delay, seen)
    if (family.startsWith('pop-core')) assert.match(String(outcome.retryAfterHeader), delay, seen)
  }
}

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
      // The delay counts down to the oldest nonce's expiry.
      await assertThroughFamilies('Throttling', aux, 'positive')
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
      await assertThroughFamilies('InternalError', aux)
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
      await assertThroughFamilies('Throttling.API', aux, 100)
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
      await assertThroughFamilies('InvalidProtocol.NeedSsl', aux)
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
        await assertThroughFamilies('ServiceUnavailable', aux)
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
