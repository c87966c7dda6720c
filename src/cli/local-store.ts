import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { toApiError } from '../api/rpc/to-api-error.ts'
import { loadConfig, type Config } from '../config/load-config.ts'
import { loadMasterKey } from '../store/master-key.ts'
import { isPostgresUrl, openStore, SQLITE_FILE } from '../store/open-store.ts'
import type { Store } from '../store/store.ts'
import { ApiCallError } from './remote-client.ts'

/**
 * The CLI's local mode (contract §8): commands open the same store the server uses
 * (`--data-dir`, else `REDIS_SESSIONS_DATA_DIR`, else `./data`; PostgreSQL when
 * `DATABASE_URL` says so), exactly as `start-server.ts` opens it. Usage in a command:
 *
 *   await withLocalStore({ dataDir: options.dataDir, env: process.env }, ({ store }) =>
 *     localCall(() => describeInstances(store, params)))
 */

export { DATA_DIR_OPTION_HELP } from './option-help.ts'

/** Options of {@link openLocalStore}. */
export interface LocalStoreOptions {
  /** `--data-dir`; absent = `REDIS_SESSIONS_DATA_DIR` or `./data`. */
  dataDir?: string | undefined
  /** The environment (the CLI entry passes `process.env`); read through `loadConfig`. */
  env: NodeJS.ProcessEnv
}

/** An open local store and the configuration it was opened with. */
export interface LocalStore {
  store: Store
  /** `loadConfig` result (e.g. `nodeTimeoutMs` for connections the command opens). */
  config: Config
  close(): Promise<void>
}

/**
 * Opens the local store: creates the data directory if needed, loads (or creates, mode
 * 0600) the master key, migrates the schema. Close it with `close()`.
 */
export async function openLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  const config = loadConfig(
    options.env,
    options.dataDir === undefined ? {} : { dataDir: options.dataDir }
  )
  await mkdir(config.dataDir, { recursive: true })
  const masterKey = await loadMasterKey({ env: config.masterKey, dataDir: config.dataDir })
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    masterKey,
  })
  return { store, config, close: () => store.close() }
}

/**
 * Where the local store is, and whether there is one: PostgreSQL (`DATABASE_URL`) always is;
 * SQLite when its file exists in the data directory. Commands that only read (`sessions
 * <InstanceId>`, `kill`) check first, so that a wrong `--data-dir` creates no store there.
 */
export function findLocalStore(options: LocalStoreOptions): { dataDir: string; exists: boolean } {
  const config = loadConfig(
    options.env,
    options.dataDir === undefined ? {} : { dataDir: options.dataDir }
  )
  const exists = isPostgresUrl(config.databaseUrl) || existsSync(join(config.dataDir, SQLITE_FILE))
  return { dataDir: config.dataDir, exists }
}

/** Runs `work` on the opened local store and always closes it. */
export async function withLocalStore<T>(
  options: LocalStoreOptions,
  work: (local: LocalStore) => Promise<T>
): Promise<T> {
  const local = await openLocalStore(options)
  try {
    return await work(local)
  } finally {
    await local.close()
  }
}

/**
 * Runs an operation shared with an API action (e.g. `addInstance`) and reports its
 * failures as the API would — through the same mapper, `toApiError` — as an
 * {@link ApiCallError} (`EntityAlreadyExists: … (detail)`), so the local and remote
 * paths fail alike. Unexpected errors pass unchanged.
 */
export async function localCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const apiError = toApiError(error)
    if (apiError.catalogCode === 'InternalError') throw error
    throw new ApiCallError(apiError.code, apiError.message, apiError.detail)
  }
}
