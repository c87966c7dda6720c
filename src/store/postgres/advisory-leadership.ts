import pg from 'pg'

/**
 * Key of the history sampler's session-level advisory lock. In `pg_locks` a bigint key shows as
 * `classid` = its high 32 bits (1919247465) and `objid` = its low 32 bits (1936942451), with
 * `objsubid` 1. The bytes spell "redisses". Advisory locks are per database: deployments on
 * other databases of the same cluster do not compete.
 */
export const SAMPLER_LOCK_KEY = '8243105097042847091'

/** Leadership held through a PostgreSQL advisory lock on one dedicated connection. */
export interface AdvisoryLeadership {
  /**
   * Keeps or takes the lead: while leading, checks that the connection still answers; else
   * tries `pg_try_advisory_lock` (never waits). False when another session holds the lock or
   * the database cannot be reached; errors are reported to `onError`, never thrown.
   */
  tryLead(): Promise<boolean>
  /** As of the last `tryLead` (or a connection error since). */
  isLeading(): boolean
  /** Ends the connection, which releases the lock. */
  close(): Promise<void>
}

/** Options of {@link createAdvisoryLeadership}. */
export interface AdvisoryLeadershipOptions {
  connectionString: string
  /** bigint as a decimal string; default {@link SAMPLER_LOCK_KEY}. */
  lockKey?: string | undefined
  /** `application_name` of the connection (visible in `pg_stat_activity`); ≤ 63 bytes. */
  applicationName: string
  /** Connect and query timeout, ms (default 5000): a stalled database is a lost lead. */
  timeoutMs?: number | undefined
  onError?: ((error: unknown) => void) | undefined
}

/**
 * The lock lives as long as the PostgreSQL session: a replica that dies (SIGKILL, crash, host
 * gone) loses its connection, the server ends the session and releases the lock, and the next
 * replica to try takes it. Server-side TCP keepalives are set short on this connection, so a
 * silently vanished leader (network cut) is noticed in about a minute, not the OS's two hours.
 * A leader whose connection fails stops leading at once (it may be released already).
 */
export function createAdvisoryLeadership(options: AdvisoryLeadershipOptions): AdvisoryLeadership {
  const lockKey = options.lockKey ?? SAMPLER_LOCK_KEY
  const timeoutMs = options.timeoutMs ?? 5000
  const onError = options.onError ?? (() => undefined)
  let client: pg.Client | undefined
  let leading = false
  let closed = false
  let pending: Promise<boolean> | undefined

  function drop(broken: pg.Client): void {
    if (client !== broken) return
    client = undefined
    leading = false
    broken.end().catch(() => undefined)
  }

  async function connect(): Promise<pg.Client> {
    const fresh = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
      options: '-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3',
    })
    fresh.on('error', (error) => {
      onError(error)
      drop(fresh)
    })
    fresh.on('end', () => drop(fresh))
    try {
      await fresh.connect()
    } catch (error) {
      fresh.end().catch(() => undefined)
      throw error
    }
    return fresh
  }

  async function attempt(): Promise<boolean> {
    if (closed) return false
    let current = client
    try {
      if (current !== undefined && leading) {
        await current.query('select 1')
        return client === current && leading
      }
      current ??= client = await connect()
      const result = await current.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1::bigint) as locked',
        [lockKey]
      )
      leading = client === current && result.rows[0]?.locked === true
      return leading
    } catch (error) {
      onError(error)
      if (current !== undefined) drop(current)
      return false
    }
  }

  return {
    tryLead() {
      // One attempt at a time: a slow database must not open a second connection.
      pending ??= attempt().finally(() => (pending = undefined))
      return pending
    },
    isLeading: () => leading,
    async close() {
      closed = true
      await pending
      const last = client
      client = undefined
      leading = false
      await last?.end().catch(() => undefined)
    },
  }
}
