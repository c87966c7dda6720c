/**
 * The server over HTTPS (`TLS_CERT_FILE` / `TLS_KEY_FILE`, a self-signed certificate for
 * 127.0.0.1 made here with the openssl CLI): every official client verifies the certificate
 * against that CA, passed through its own option (pop-core `opts.ca`, openapi `Config.ca`), and
 * gets the same Data as over plain HTTP from an app on the same store; without the CA every
 * client refuses the connection, so the verification is real.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { makeSelfSignedCertificate } from '../support/tls-cert.ts'
import { startAuxApp, type AuxApp } from './aux-app.ts'
import { sessionKeys } from './das-shape.ts'
import { FAMILIES, callSdk, isRecord, type SdkOutcome, type Target } from './sdk-callers.ts'
import { ADMIN, startSdkServer, type SdkServer } from './sdk-fixture.ts'

const INSTANCE_ID = 'r-sdk-tls'
const QUERY = { InstanceId: INSTANCE_ID }

describe('GetRedisAllSession over HTTPS through the official SDKs', () => {
  let redis: RedisServerHandle | undefined
  let sessions: MixedSessions | undefined
  let certDir: string | undefined
  let sdk: SdkServer | undefined
  let plain: AuxApp | undefined
  let tls: Target | undefined

  before(async () => {
    redis = await startRedisServer()
    sessions = await openMixedSessions(redis, { namePrefix: 'sdk-tls', count: 3 })
    certDir = await makeTempDir('redis-sessions-tls-')
    const certificate = await makeSelfSignedCertificate(certDir)
    sdk = await startSdkServer({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
    })
    await sdk.store.instances.add({
      instanceId: INSTANCE_ID,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
    tls = { url: sdk.url, endpoint: sdk.endpoint, ca: certificate.cert.toString('utf8') }
    plain = await startAuxApp(sdk.store)
  })

  after(async () => {
    await plain?.app.close()
    await sdk?.close()
    if (certDir !== undefined) await removeTempDir(certDir)
    await sessions?.close()
    await redis?.stop()
  })

  it('listens on https://', () => {
    assert.match(sdk?.url ?? '', /^https:\/\/127\.0\.0\.1:\d+$/)
  })

  for (const family of FAMILIES) {
    it(`${family}: verifies the certificate and gets the Data of plain HTTP`, async () => {
      assert.ok(tls !== undefined && plain !== undefined)
      const overTls = dataOf(await callSdk(family, tls, ADMIN, { query: QUERY }))
      const overHttp = dataOf(await callSdk(family, plain, ADMIN, { query: QUERY }))
      const keys = sessionKeys(overTls)
      assert.ok(
        keys.some((key) => key.endsWith('|sdk-tls-0')),
        `the opened sessions are listed: ${keys.join(', ')}`
      )
      assert.deepEqual(keys, sessionKeys(overHttp))
      assert.equal(overTls['Total'], overHttp['Total'])
      assert.equal(overTls['Complete'], true)
    })
  }

  for (const family of FAMILIES) {
    it(`${family}: refuses the self-signed certificate without its CA`, async () => {
      assert.ok(tls !== undefined)
      const { ca: _ca, ...withoutCa } = tls
      await assert.rejects(
        callSdk(family, withoutCa, ADMIN, { query: QUERY }),
        (error: unknown) => {
          assert.ok(error instanceof Error)
          assert.match(`${String(Reflect.get(error, 'code'))} ${error.message}`, /self[- ]signed/i)
          return true
        }
      )
    })
  }
})

function dataOf(outcome: SdkOutcome): Record<string, unknown> {
  assert.ok(outcome.ok, `the client threw: ${JSON.stringify(outcome.ok ? {} : outcome.data)}`)
  assert.equal(outcome.body['Code'], 200)
  const data = outcome.body['Data']
  assert.ok(isRecord(data))
  return data
}
