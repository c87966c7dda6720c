import { hostname } from 'node:os'
import type { Logger } from 'pino'
import { isPostgresUrl } from '../store/open-store.ts'
import {
  createAdvisoryLeadership,
  type AdvisoryLeadership,
} from '../store/postgres/advisory-leadership.ts'

/** Who samples history: the `shouldSample` hook of the history sampler. */
export interface SamplerLeadership {
  /** True when this process should take this tick's sample (a hook: safe to pass unbound). */
  shouldSample: () => Promise<boolean>
  /** Gives the lead up (ends the lock's connection). */
  close(): Promise<void>
}

/** Options of {@link createSamplerLeadership}. */
export interface SamplerLeadershipOptions {
  /** `DATABASE_URL`: PostgreSQL → an advisory lock decides; anything else → always sample. */
  databaseUrl: string | undefined
  logger: Pick<Logger, 'info' | 'warn'>
}

/**
 * Several replicas share one PostgreSQL store and would each sample every instance every
 * interval. Exactly one of them samples: the holder of a session-level advisory lock on a
 * dedicated connection (`store/postgres/advisory-leadership.ts`). Followers try to take it
 * before each tick, so when the leader dies its session ends, the lock is released and another
 * replica samples from its next tick on. A SQLite store serves one process: it always samples.
 *
 * The connection's `application_name` names this replica (`redis-sessions sampler pid@host`),
 * so `pg_locks` joined with `pg_stat_activity` shows who leads (docs/deployment.md).
 */
export function createSamplerLeadership(options: SamplerLeadershipOptions): SamplerLeadership {
  const { databaseUrl, logger } = options
  if (!isPostgresUrl(databaseUrl)) {
    return { shouldSample: () => Promise.resolve(true), close: () => Promise.resolve() }
  }
  const name = samplerApplicationName()
  let lastError = ''
  const lock: AdvisoryLeadership = createAdvisoryLeadership({
    connectionString: databaseUrl,
    applicationName: name,
    onError(error) {
      // Logged once per distinct message: a database that is down for an hour is one line.
      const message = error instanceof Error ? error.message : String(error)
      if (message !== lastError) logger.warn({ err: error }, 'history sampler leadership error')
      lastError = message
    },
  })
  let wasLeading = false
  return {
    async shouldSample() {
      const leading = await lock.tryLead()
      if (leading !== wasLeading) {
        logger.info({ leader: leading, replica: name }, leadershipMessage(leading))
        if (leading) lastError = ''
      }
      wasLeading = leading
      return leading
    },
    close: () => lock.close(),
  }
}

/** `redis-sessions sampler <pid>@<host>`, cut to PostgreSQL's 63-byte name limit. */
export function samplerApplicationName(pid: number = process.pid): string {
  return `redis-sessions sampler ${pid}@${hostname()}`.slice(0, 63)
}

function leadershipMessage(leading: boolean): string {
  return leading ? 'history sampler leadership acquired' : 'history sampler leadership lost'
}
