import { Counter, Histogram, type Registry } from 'prom-client'

/** `action` label of requests that are not a known RPC action (other routes, unknown actions). */
export const NO_ACTION = 'none'

/** How one HTTP request ended, as labelled in the metrics. */
export interface HttpOutcome {
  /** A registered RPC action, else {@link NO_ACTION}. */
  readonly action: string
  /** `200`, or the error code of the body (`InvalidApi.NotFound`, `MissingInstanceId`, …). */
  readonly code: string
}

/** Request counter and latency histogram. */
export interface HttpMetrics {
  readonly observe: (outcome: HttpOutcome, seconds: number) => void
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Registers `redis_sessions_http_*` in `registry` (see docs/metrics.md). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter<'action' | 'code'>({
    name: 'redis_sessions_http_requests_total',
    help: 'HTTP requests by RPC action (none = other routes) and result code (200 or the error code)',
    labelNames: ['action', 'code'],
    registers: [registry],
  })
  const duration = new Histogram<'action'>({
    name: 'redis_sessions_http_request_duration_seconds',
    help: 'Time from request received to response sent, by RPC action',
    labelNames: ['action'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  })
  return {
    observe({ action, code }, seconds) {
      requests.inc({ action, code })
      duration.observe({ action }, seconds)
    },
  }
}

// Filled by the route or error handler that knows the outcome; read once the response is sent.
const outcomes = new WeakMap<object, HttpOutcome>()

/** Remembers how `request` ended (the action it called, the code it answered). */
export function setHttpOutcome(request: object, outcome: HttpOutcome): void {
  outcomes.set(request, outcome)
}

/** The outcome set for `request`, else `none` and the HTTP status (static files, redirects). */
export function httpOutcomeOf(request: object, statusCode: number): HttpOutcome {
  return outcomes.get(request) ?? { action: NO_ACTION, code: String(statusCode) }
}
