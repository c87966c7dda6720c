/**
 * The setup of the error tests: one real redis-server, the server with known admin keys, an
 * instance that answers, one whose only node is down (registered with a password), every
 * principal the cases sign as, and two apps on the same store for the cases the configured
 * server cannot answer on demand: a clock 20 minutes ahead, and one call per AccessKey per 100 s.
 */
import { createRateLimiter } from '../../src/api/rate-limit/token-bucket.ts'
import { MAX_SECURITY_TOKEN_LENGTH } from '../../src/api/signature/verify-signature.ts'
import { freePort } from '../support/free-port.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { startAuxApp, type AuxApp } from './aux-app.ts'
import { withoutToken } from './raw-request.ts'
import type { Target } from './sdk-callers.ts'
import {
  DOWN_INSTANCE,
  DOWN_PASSWORD,
  UP_INSTANCE,
  type Principal,
  type ServerName,
} from './sdk-error-cases.ts'
import {
  ADMIN,
  ALLOW_ALL,
  DENY_SESSIONS,
  createPrincipal,
  issueTemporary,
  startSdkServer,
  type Credentials,
  type SdkServer,
} from './sdk-fixture.ts'

/** Temporary credentials with their token. */
export type TemporaryCredentials = Credentials & { securityToken: string }

/** How far ahead the `clockAhead` server's clock runs: past the 15-minute window. */
export const CLOCK_AHEAD_MS = 20 * 60 * 1000

export interface ErrorWorld {
  readonly sdk: SdkServer
  /** Where each server of the cases listens (`main` is `sdk`). */
  readonly servers: Readonly<Record<ServerName, Target>>
  readonly redis: RedisServerHandle
  /** Port of the down node of DOWN_INSTANCE (nothing listens there). */
  readonly downPort: number
  readonly principals: Readonly<Record<Principal, Credentials>>
  /** Valid temporary credentials of admin. */
  readonly temporary: TemporaryCredentials
  /** Temporary credentials of admin that were revoked (signed out). */
  readonly revokedTemporary: TemporaryCredentials
  close(): Promise<void>
}

/** Starts everything; on failure stops what was started. */
export async function startErrorWorld(): Promise<ErrorWorld> {
  const redis = await startRedisServer()
  let sdk: SdkServer | undefined
  const auxApps: AuxApp[] = []
  const closeAuxApps = async () => {
    for (const aux of auxApps) await aux.app.close()
  }
  try {
    sdk = await startSdkServer()
    const { store } = sdk
    const clockAhead = await startAuxApp(store, {
      now: () => new Date(Date.now() + CLOCK_AHEAD_MS),
    })
    auxApps.push(clockAhead)
    const oneCallPerKey = await startAuxApp(store, {
      rateLimiter: createRateLimiter({ ratePerSecond: 0.01, burst: 1 }),
    })
    auxApps.push(oneCallPerKey)
    await store.instances.add({
      instanceId: UP_INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.port}`],
    })
    // Nothing listens on a free port: the node is down (connection refused).
    const downPort = await freePort()
    await store.instances.add({
      instanceId: DOWN_INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${downPort}`],
      password: DOWN_PASSWORD,
    })
    const inactiveKey = await createPrincipal(store, 'sdk-inactive', [ALLOW_ALL])
    await store.accessKeys.setStatus(inactiveKey.accessKeyId, 'Inactive')
    const valid = await issueTemporary(store, 'admin')
    const revoked = await issueTemporary(store, 'admin')
    await store.tempCredentials.revoke(revoked.accessKeyId)
    const principals: Record<Principal, Credentials> = {
      admin: ADMIN,
      unknownKey: { accessKeyId: 'LTAINoSuchKeyAnywhere00', accessKeySecret: 'whatever-secret' },
      wrongSecret: { accessKeyId: ADMIN.accessKeyId, accessKeySecret: 'not-the-secret' },
      inactiveKey,
      noPolicy: await createPrincipal(store, 'sdk-no-policy'),
      explicitDeny: await createPrincipal(store, 'sdk-denied', [DENY_SESSIONS]),
      // Issued two hours ago for one hour.
      expiredTemporary: await issueTemporary(store, 'admin', { ageMs: 7_200_000 }),
      wrongToken: { ...valid, securityToken: 'CAIS-not-the-token-of-this-key' },
      temporaryWithoutToken: withoutToken(valid),
      oversizedToken: { ...valid, securityToken: 't'.repeat(MAX_SECURITY_TOKEN_LENGTH + 1) },
    }
    const started = sdk
    return {
      sdk,
      servers: { main: sdk, clockAhead, oneCallPerKey },
      redis,
      downPort,
      principals,
      temporary: valid,
      revokedTemporary: revoked,
      async close() {
        try {
          await closeAuxApps()
          await started.close()
        } finally {
          await redis.stop()
        }
      },
    }
  } catch (error) {
    await closeAuxApps()
    await sdk?.close()
    await redis.stop()
    throw error
  }
}
