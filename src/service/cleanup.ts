import type { Logger } from 'pino'
import type { Store } from '../store/store.ts'

/** Time between two cleanups, ms (10 minutes). */
export const CLEANUP_INTERVAL_MS = 10 * 60 * 1000
/**
 * How long expired temporary credentials are kept, ms (1 day). Until deleted they answer
 * `InvalidSecurityToken.Expired` (docs/identity.md), which tells a console to sign in again
 * more plainly than the `InvalidAccessKeyId.NotFound` of deleted ones.
 */
export const EXPIRED_CREDENTIALS_KEPT_MS = 24 * 3600 * 1000

/** Options of {@link createCleanup}. */
export interface CleanupOptions {
  store: Pick<Store, 'tempCredentials'>
  logger: Pick<Logger, 'error'>
  /** Default {@link CLEANUP_INTERVAL_MS}. */
  intervalMs?: number
  now?: () => number
}

/** What one run did. */
export interface CleanupReport {
  /** Temporary credentials deleted. */
  tempCredentials: number
  /** The store failed; the error was logged and the next run tries again. */
  failed: boolean
}

/** Periodic deletion of what the store no longer needs: expired console credentials. */
export interface Cleanup {
  /** Runs every interval (the timer does not keep the process alive); a no-op when started. */
  start(): void
  /** Stops and waits for a run in progress. */
  stop(): Promise<void>
  /** One run, as of `now`; never rejects: store errors are logged and reported. */
  runOnce(now?: number): Promise<CleanupReport>
}

/** Builds the cleanup; nothing runs until `start()` (or `runOnce()`). */
export function createCleanup(options: CleanupOptions): Cleanup {
  const { store, logger } = options
  const now = options.now ?? Date.now
  const intervalMs = options.intervalMs ?? CLEANUP_INTERVAL_MS
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined

  async function runOnce(time = now()): Promise<CleanupReport> {
    try {
      const deleted = await store.tempCredentials.deleteExpired(time - EXPIRED_CREDENTIALS_KEPT_MS)
      return { tempCredentials: deleted, failed: false }
    } catch (error) {
      logger.error({ err: error }, 'cleanup of expired temporary credentials failed')
      return { tempCredentials: 0, failed: true }
    }
  }

  return {
    start() {
      if (timer !== undefined) return
      timer = setInterval(() => {
        // A slow store must not stack runs up.
        running ??= runOnce().finally(() => {
          running = undefined
        })
      }, intervalMs)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await running
    },
    runOnce,
  }
}
