import { collectDefaultMetrics, Registry } from 'prom-client'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { createHttpMetrics, type HttpOutcome } from './http-metrics.ts'
import { createSessionMetrics } from './session-metrics.ts'

/** Default of `REDIS_SESSIONS_IDLE_THRESHOLD_S`: a session idle this long counts as idle. */
export const DEFAULT_IDLE_THRESHOLD_S = 3600
/** Default time after which an instance nobody collected leaves the export. */
export const DEFAULT_STALE_AFTER_MS = 15 * 60 * 1000

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  idleThresholdSeconds?: number | undefined
  /** Sources exported per instance; default 20. */
  topSources?: number | undefined
  staleAfterMs?: number | undefined
  /** Wall clock, ms since the epoch. */
  now?: (() => number) | undefined
}

/**
 * The server's metrics: a registry of its own (nothing global, so several apps can live in one
 * process, as the tests do), default process metrics prefixed `redis_sessions_`, session gauges
 * fed by every collection and HTTP counters fed by every response. Functions are properties so
 * they can be handed over as callbacks (`onSnapshot` to `createInstanceSessions`).
 */
export interface Metrics {
  readonly registry: Registry
  /** `createInstanceSessions` option: a collection produced a snapshot. Never throws. */
  readonly onSnapshot: (instanceId: string, snapshot: SessionsSnapshot, tookMs: number) => void
  /** `createInstanceSessions` option: a collection failed as a whole. Never throws. */
  readonly onCollectError: (instanceId: string, error: unknown, tookMs: number) => void
  /** One HTTP response sent. */
  readonly observeHttp: (outcome: HttpOutcome, seconds: number) => void
  /** The exposition text, gauges brought up to date first. */
  readonly scrape: () => Promise<string>
  /** `Content-Type` of {@link Metrics.scrape}'s text. */
  readonly contentType: string
}

/** Builds the registry and its metrics; see docs/metrics.md for names, labels and bounds. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'redis_sessions_' })
  const sessions = createSessionMetrics(registry, {
    idleThresholdSeconds: options.idleThresholdSeconds ?? DEFAULT_IDLE_THRESHOLD_S,
    topSources: options.topSources,
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    now: options.now ?? Date.now,
  })
  const http = createHttpMetrics(registry)
  // Metrics are a side channel: a bug here must never fail a collection or a request.
  const safely =
    <A extends unknown[]>(record: (...args: A) => void) =>
    (...args: A): void => {
      try {
        record(...args)
      } catch {
        // Dropping one observation is better than failing the caller.
      }
    }
  return {
    registry,
    onSnapshot: safely(sessions.recordSnapshot),
    onCollectError: safely(sessions.recordFailure),
    observeHttp: safely(http.observe),
    async scrape() {
      sessions.refresh()
      return await registry.metrics()
    },
    contentType: registry.contentType,
  }
}
