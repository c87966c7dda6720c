import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import OpenApiCore, { $OpenApiUtil, ThrottlingError } from '@alicloud/openapi-core'
import * as $dara from '@darabonba/typescript'
import { createActionLimiter } from '../../src/api/rate-limit/throttle-action.ts'
import { createRateLimiter } from '../../src/api/rate-limit/token-bucket.ts'
import { assertApiError, signedInject, type InjectedResponse } from './support/signed-inject.ts'
import {
  createTestApp,
  createUserWithPolicy,
  type TestApp,
  type TestCredentials,
} from './support/test-app.ts'

// One token per 1000 s: after the burst of 3, no token comes back while the test runs.
const BURST = 3
const RATE = 0.001
const ALLOW_ALL = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'hdm:*', Resource: '*' }] }
const DENY_ALL = { Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }

describe('per-AccessKey rate limit (Throttling.User)', () => {
  let testApp: TestApp

  before(async () => {
    testApp = await createTestApp({
      services: { rateLimiter: createRateLimiter({ ratePerSecond: RATE, burst: BURST }) },
    })
  })
  after(async () => {
    await testApp?.close()
  })

  const call = (credentials: TestCredentials): Promise<InjectedResponse> =>
    signedInject(testApp.app, {
      action: 'GetRedisAllSession',
      params: { InstanceId: 'r-missing' },
      ...credentials,
    })

  const assertThrottled = (response: InjectedResponse) => {
    assertApiError(response, 'Throttling.User', 400)
    const retryAfter = String(response.headers['x-acs-retry-after'])
    assert.match(retryAfter, /^\d+$/)
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 1000, retryAfter)
  }

  it('throttles the (burst+1)th request of a key, with x-acs-retry-after', async () => {
    for (let i = 0; i < BURST; i++) {
      assertApiError(await call(testApp.admin), 'InvalidInstanceId.NotFound', 404)
    }
    assertThrottled(await call(testApp.admin))
  })

  it('leaves other AccessKeys alone', async () => {
    const other = await createUserWithPolicy(testApp.store, 'other', ALLOW_ALL)
    assertApiError(await call(other), 'InvalidInstanceId.NotFound', 404)
  })

  it('counts only requests whose signature verified', async () => {
    const key = await createUserWithPolicy(testApp.store, 'forged', ALLOW_ALL)
    const forged = { accessKeyId: key.accessKeyId, accessKeySecret: 'not-the-secret' }
    for (let i = 0; i < BURST + 2; i++) {
      assertApiError(await call(forged), 'SignatureDoesNotMatch', 400)
    }
    for (let i = 0; i < BURST; i++) {
      assertApiError(await call(key), 'InvalidInstanceId.NotFound', 404)
    }
    assertThrottled(await call(key))
  })

  it('throttles before RAM authorization (protocol.md §9 order)', async () => {
    const denied = await createUserWithPolicy(testApp.store, 'denied', DENY_ALL)
    for (let i = 0; i < BURST; i++) assertApiError(await call(denied), 'NoPermission', 403)
    assertThrottled(await call(denied))
  })

  it('reaches openapi-core as ThrottlingError with retryAfter', async () => {
    const key = await createUserWithPolicy(testApp.store, 'sdk', ALLOW_ALL)
    const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 })
    const config = new $OpenApiUtil.Config({
      endpoint: new URL(address).host,
      protocol: 'http',
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    })
    const client = new OpenApiCore.default(config)
    // As the generated DAS SDK calls GetRedisAllSession (see test/sdk/).
    const params = new $OpenApiUtil.Params({
      action: 'GetRedisAllSession',
      version: '2020-01-16',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    })
    const request = () =>
      client.callApi(
        params,
        new $OpenApiUtil.OpenApiRequest({ query: { InstanceId: 'r-missing' } }),
        new $dara.RuntimeOptions({})
      )
    for (let i = 0; i < BURST; i++) {
      await assert.rejects(request(), (error: unknown) => !(error instanceof ThrottlingError))
    }
    const error = await request().then(
      () => assert.fail('the request after the burst succeeded'),
      (thrown: unknown) => thrown
    )
    assert.ok(error instanceof ThrottlingError, `not a ThrottlingError: ${String(error)}`)
    assert.equal(error.code, 'Throttling.User')
    assert.equal(typeof error.retryAfter, 'number')
    assert.ok((error.retryAfter ?? 0) >= 1)
  })
})

describe('per-action rate limit (Throttling.API)', () => {
  let testApp: TestApp

  before(async () => {
    // GetRedisAllSession: one call per 100 s for everybody together (burst 1).
    const actionLimiter = createActionLimiter({
      perAction: new Map([['GetRedisAllSession', 0.01]]),
    })
    testApp = await createTestApp({ services: { actionLimiter } })
  })
  after(async () => {
    await testApp?.close()
  })

  const call = (credentials: TestCredentials, params: Record<string, string>) =>
    signedInject(testApp.app, { action: 'GetRedisAllSession', params, ...credentials })

  it('is spent only by calls allowed to run: denied and malformed calls leave it to the others', async () => {
    const denied = await createUserWithPolicy(testApp.store, 'denied', DENY_ALL)
    for (let i = 0; i < 3; i++) {
      assertApiError(await call(denied, { InstanceId: 'r-missing' }), 'NoPermission', 403)
      assertApiError(
        await call(testApp.admin, { InstanceId: 'r-missing', Typo: '1' }),
        'InvalidParams',
        400
      )
    }
    assertApiError(
      await call(testApp.admin, { InstanceId: 'r-missing' }),
      'InvalidInstanceId.NotFound',
      404
    )
    const refused = await call(testApp.admin, { InstanceId: 'r-missing' })
    assertApiError(refused, 'Throttling.API', 400)
    assert.equal(refused.headers['x-acs-retry-after'], '100')
  })
})
