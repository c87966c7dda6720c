import pg from 'pg'

/**
 * Replay protection shared by every server replica on one PostgreSQL database (protocol.md §10,
 * table `nonces` of migration 0002). Structurally the API's `NonceStore` (`claim`), so the server
 * wiring hands it to the API without the store layer importing the API.
 *
 * A claim is one statement: `INSERT … ON CONFLICT (access_key_id, nonce) DO UPDATE … WHERE
 * expired`. The primary key serialises concurrent claims of the same pair on any number of
 * replicas: exactly one gets row count 1 (fresh), the others 0 (a replay). A row that expired but
 * was not purged yet is taken over by the new claim, as the in-memory store forgets expired ones.
 * Expired rows are deleted periodically in bounded batches, `FOR UPDATE SKIP LOCKED` so that
 * replicas purging at once do not queue behind each other.
 */
export interface PostgresNonceStore {
  /** True when fresh (recorded until `expiresAt`), false when already recorded and unexpired. */
  claim(accessKeyId: string, nonce: string, expiresAt: Date): Promise<boolean>
  /** Deletes expired rows, at most `batchSize × maxBatches`; returns how many. */
  purgeExpired(now?: number): Promise<number>
  /** Stops the purge timer and closes the pool. */
  close(): Promise<void>
}

/** Options of {@link createPostgresNonceStore}. */
export interface PostgresNonceStoreOptions {
  /** `DATABASE_URL`; the database must be migrated (`openStore` does it). */
  connectionString: string
  /** Connections of this store's own pool (default 5). */
  maxConnections?: number | undefined
  /** Between purges, ms (default 60,000); 0 = no timer (call `purgeExpired`). */
  purgeIntervalMs?: number | undefined
  /** Rows deleted per statement (default 5,000). */
  purgeBatchSize?: number | undefined
  /** Statements per purge at most (default 20): one purge never runs unbounded. */
  maxPurgeBatches?: number | undefined
  /** Errors of the background purge and of idle pool connections (default: ignored). */
  onError?: ((error: unknown) => void) | undefined
  /** Clock, ms (default `Date.now`). */
  now?: (() => number) | undefined
}

const CLAIM: pg.QueryConfig = {
  name: 'redis_sessions_nonce_claim',
  text: `insert into nonces (access_key_id, nonce, expires_at) values ($1, $2, $3)
    on conflict (access_key_id, nonce) do update set expires_at = excluded.expires_at
    where nonces.expires_at <= $4`,
}

const PURGE: pg.QueryConfig = {
  name: 'redis_sessions_nonce_purge',
  text: `delete from nonces where (access_key_id, nonce) in (
      select access_key_id, nonce from nonces where expires_at <= $1
      limit $2 for update skip locked)`,
}

/** Opens the shared nonce store on its own small pool and starts its purge timer. */
export function createPostgresNonceStore(options: PostgresNonceStoreOptions): PostgresNonceStore {
  const now = options.now ?? Date.now
  const batchSize = positiveInteger('purgeBatchSize', options.purgeBatchSize ?? 5000)
  const maxBatches = positiveInteger('maxPurgeBatches', options.maxPurgeBatches ?? 20)
  const purgeIntervalMs = options.purgeIntervalMs ?? 60_000
  const onError = options.onError ?? (() => undefined)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: positiveInteger('maxConnections', options.maxConnections ?? 5),
    application_name: 'redis-sessions nonces',
  })
  // An idle connection that breaks (database restart) is reported here; unhandled it would
  // crash the process. The pool replaces it on the next query.
  pool.on('error', onError)

  async function purgeExpired(at = now()): Promise<number> {
    let deleted = 0
    for (let batch = 0; batch < maxBatches; batch++) {
      const result = await pool.query({ ...PURGE, values: [at, batchSize] })
      const count = result.rowCount ?? 0
      deleted += count
      if (count < batchSize) break
    }
    return deleted
  }

  let purging: Promise<unknown> | undefined
  const timer =
    purgeIntervalMs > 0
      ? setInterval(() => {
          if (purging !== undefined) return
          purging = purgeExpired()
            .catch(onError)
            .finally(() => (purging = undefined))
        }, purgeIntervalMs)
      : undefined
  // The HTTP server keeps the process alive; the purge must not.
  timer?.unref()

  return {
    async claim(accessKeyId, nonce, expiresAt) {
      const at = now()
      const expiry = expiresAt.getTime()
      // Already outside its window: the time stamp check refuses any replay, nothing to keep.
      if (expiry <= at) return true
      // Bytes, not text: a V1 nonce may hold NUL. Lone surrogates all encode as U+FFFD, so two
      // such nonces may collide: that can only refuse a request, never let a replay through.
      const values = [accessKeyId, Buffer.from(nonce, 'utf8'), expiry, at]
      const result = await pool.query({ ...CLAIM, values })
      return result.rowCount === 1
    },
    purgeExpired,
    async close() {
      clearInterval(timer)
      await purging
      await pool.end()
    },
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`)
  }
  return value
}
