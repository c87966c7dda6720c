/**
 * The server the SDK oracle tests talk to: a real `startServer` on a free port with a temp-dir
 * SQLite store and known admin credentials, plus the principals the error cases need (users,
 * AccessKeys, policies and temporary credentials created through the store, as the CLI would).
 */
import { randomBytes } from 'node:crypto'
import { recordSecret } from '../support/secrets.ts'
import { testLogger } from '../support/test-logs.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import type { NewTempCredentials, Store } from '../../src/store/store.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'

/** An AccessKey pair, optionally with the SecurityToken of temporary credentials. */
export interface Credentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string
}

/** The admin key, set through `REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID/SECRET` (contract §7). */
export const ADMIN: Credentials = {
  accessKeyId: 'testAccessKeyId',
  accessKeySecret: 'testAccessKeySecret',
}

/** The admin's console password, set through `REDIS_SESSIONS_ADMIN_PASSWORD`. */
export const ADMIN_PASSWORD = 'sdk-oracle-admin-password'
recordSecret('sdk admin AccessKeySecret', ADMIN.accessKeySecret)
recordSecret('sdk admin console password', ADMIN_PASSWORD)

/** A started server and what the tests need to reach it. */
export interface SdkServer {
  readonly server: RunningServer
  readonly store: Store
  /** `http://127.0.0.1:<port>`, or `https://…` with TLS (pop-core, fetch). */
  readonly url: string
  /** `127.0.0.1:<port>` (openapi-client / openapi-core `Config.endpoint`: no scheme). */
  readonly endpoint: string
  readonly dataDir: string
  readonly masterKeyHex: string
  close(): Promise<void>
}

/**
 * Starts the server as `redis-sessions serve` would, with the environment given explicitly (so
 * nothing leaks in from the test process: no DATABASE_URL) plus `extraEnv` (e.g.
 * `TLS_CERT_FILE`/`TLS_KEY_FILE`). The result cache is off, so every call really collects from
 * Redis.
 */
export async function startSdkServer(
  extraEnv: Readonly<Record<string, string>> = {}
): Promise<SdkServer> {
  const dataDir = await makeTempDir('redis-sessions-sdk-')
  const masterKeyHex = randomBytes(32).toString('hex')
  recordSecret('master key', masterKeyHex)
  const env = {
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
    // Given, so that nothing is generated and printed on the test's stdout.
    REDIS_SESSIONS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REDIS_SESSIONS_MASTER_KEY: masterKeyHex,
    REDIS_SESSIONS_RESULT_CACHE_MS: '0',
    REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
    REDIS_SESSIONS_NODE_TIMEOUT_MS: '2000',
    ...extraEnv,
  }
  let server: RunningServer
  try {
    server = await startServer(loadConfig(env, { port: 0, dataDir }), testLogger('sdk'))
  } catch (error) {
    await removeTempDir(dataDir)
    throw error
  }
  return {
    server,
    store: server.store,
    url: server.url,
    endpoint: new URL(server.url).host,
    dataDir,
    masterKeyHex,
    async close() {
      try {
        await server.close()
      } finally {
        await removeTempDir(dataDir)
      }
    },
  }
}

/**
 * Creates `userName` with a fresh AccessKey and the given policy documents attached (none: the
 * user is denied everything by default). Returns the key.
 */
export async function createPrincipal(
  store: Store,
  userName: string,
  policies: readonly object[] = []
): Promise<Credentials> {
  await store.users.create(userName)
  const key = await store.accessKeys.create(userName)
  recordSecret(`AccessKeySecret of ${userName}`, key.accessKeySecret)
  for (const [index, document] of policies.entries()) {
    const name = `${userName}-policy-${index}`
    await store.policies.create(name, JSON.stringify(document), `test policy of ${userName}`)
    await store.policies.attach(name, userName)
  }
  return key
}

/** Temporary (STS-style) credentials for `userName`, issued `ageMs` ago for `ttlMs`. */
export async function issueTemporary(
  store: Store,
  userName: string,
  options: { ttlMs?: number; ageMs?: number } = {}
): Promise<Credentials & { securityToken: string; expiresAt: number }> {
  const issued: NewTempCredentials = await store.tempCredentials.create(
    userName,
    options.ttlMs ?? 3_600_000,
    Date.now() - (options.ageMs ?? 0)
  )
  recordSecret(`temporary AccessKeySecret of ${userName}`, issued.accessKeySecret)
  recordSecret(`SecurityToken of ${userName}`, issued.securityToken)
  return {
    accessKeyId: issued.accessKeyId,
    accessKeySecret: issued.accessKeySecret,
    securityToken: issued.securityToken,
    expiresAt: issued.expiresAt,
  }
}

/** Allows everything (the admin's bootstrap policy). */
export const ALLOW_ALL = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
}

/** Allows everything but denies GetRedisAllSession explicitly. */
export const DENY_SESSIONS = {
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'hdm:GetRedisAllSession', Resource: '*' },
  ],
}
