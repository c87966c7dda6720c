import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { AnyAction } from '../../../src/api/actions/action.ts'
import { createActionRegistry } from '../../../src/api/actions/registry.ts'
import { createApp } from '../../../src/api/create-app.ts'
import type { Services } from '../../../src/api/services.ts'
import { DEFAULT_IDLE_THRESHOLD_SECONDS } from '../../../src/core/insights/session-insights.ts'
import { bootstrapAdmin } from '../../../src/server/bootstrap-admin.ts'
import { createServices } from '../../../src/server/create-services.ts'
import { openStore } from '../../../src/store/open-store.ts'
import type { Store } from '../../../src/store/store.ts'
import { recordSecret } from '../../support/secrets.ts'
import { testLogger } from '../../support/test-logs.ts'

/** AccessKey of a user, as the API tests sign with it. */
export interface TestCredentials {
  accessKeyId: string
  accessKeySecret: string
}

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  /** Default: every registered action (`createActionRegistry()`). */
  actions?: ReadonlyMap<string, AnyAction>
  /** Per-node connect and command timeout, ms (the server's `nodeTimeoutMs`); default 2000. */
  nodeTimeoutMs?: number
  /** Result cache per instance, ms; default 0 so every call sees the deployment as it is now. */
  resultCacheMs?: number
  /** Replaces some services after they are built (e.g. a fixed `now`, an `aliasesFor`). */
  services?: Partial<Omit<Services, 'store'>>
  /** The app's `trustedProxies` (`REDIS_SESSIONS_TRUST_PROXY`); default none. */
  trustedProxies?: readonly string[]
}

/** An in-process API server over a fresh SQLite store with an `admin` allowed everything. */
export interface TestApp {
  /** Fastify app, never listening: call it with `app.inject()` (see `signedInject`). */
  app: FastifyInstance
  services: Services
  store: Store
  /** Temp directory of the SQLite file; removed by `close()`. */
  dataDir: string
  /** AccessKey of the bootstrapped `admin` (policy `*`). */
  admin: TestCredentials
  /** Closes the app and the store and removes the data directory. Call it in `after()`. */
  close(): Promise<void>
}

/**
 * Builds the services with the server's own `createServices` (only the settings that tests need
 * differ), bootstraps `admin` with `bootstrapAdmin`, and creates the app. Nothing listens:
 * requests go through `app.inject()`.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rs-api-'))
  const store = await openStore({ dataDir, masterKey: randomBytes(32) })
  try {
    const generated = await bootstrapAdmin(store, {
      accessKeyId: undefined,
      accessKeySecret: undefined,
      password: undefined,
    })
    const admin = generated.accessKey
    if (admin === undefined) throw new Error('bootstrapAdmin created no AccessKey')
    recordSecret('test-app admin AccessKeySecret', admin.accessKeySecret)
    recordSecret('test-app admin console password', generated.password)
    // What differs from the server: a shorter node timeout, no result cache, no alias cache (a
    // test sees an alias it just set), no rate limit, no metrics; the log goes to .tmp/test-logs.
    const services = createServices(
      store,
      {
        nodeTimeoutMs: options.nodeTimeoutMs ?? 2000,
        resultCacheMs: options.resultCacheMs ?? 0,
        idleThresholdSeconds: DEFAULT_IDLE_THRESHOLD_SECONDS,
        rateLimitPerSecond: 0,
      },
      { logger: testLogger('test-app'), aliasCacheMs: 0, replace: options.services }
    )
    const app = createApp({
      services,
      actions: options.actions ?? createActionRegistry(),
      trustedProxies: options.trustedProxies,
    })
    await app.ready()
    return {
      app,
      services,
      store,
      dataDir,
      admin,
      async close() {
        await app.close()
        await store.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

/**
 * Creates user `name` with one policy (`document`, a RAM policy object) attached and an
 * AccessKey, for authorization tests. The policy is named `<name>-policy`.
 */
export async function createUserWithPolicy(
  store: Store,
  name: string,
  document: object
): Promise<TestCredentials> {
  await store.users.create(name)
  await store.policies.create(`${name}-policy`, JSON.stringify(document), `test policy of ${name}`)
  await store.policies.attach(`${name}-policy`, name)
  const key = await store.accessKeys.create(name)
  recordSecret(`AccessKeySecret of ${name}`, key.accessKeySecret)
  return key
}
