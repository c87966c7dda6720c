import { ApiError } from '../errors/api-error.ts'
import { createRateLimiter, type RateLimiter } from './token-bucket.ts'

/**
 * `REDIS_SESSIONS_API_RATE_LIMIT`: requests per second per action, summed over every caller.
 * `everyAction` applies to each action not named in `perAction`; absent = no limit for those.
 */
export interface ApiRateLimits {
  readonly everyAction?: number | undefined
  readonly perAction: ReadonlyMap<string, number>
}

/** No per-action limit at all (the default). */
export const NO_API_RATE_LIMITS: ApiRateLimits = { perAction: new Map() }

/** One token bucket per action (burst twice the rate, at least 1), whoever calls it. */
export interface ActionLimiter {
  /** The limiter of `action`, or undefined when that action has no limit. */
  limiterOf(action: string): RateLimiter | undefined
}

/** Builds the per-action limiter; undefined when no limit is configured. */
export function createActionLimiter(
  limits: ApiRateLimits,
  now?: () => number
): ActionLimiter | undefined {
  if (limits.everyAction === undefined && limits.perAction.size === 0) return undefined
  // A slow action (0.2/s) still gets one request at once: the burst is never below 1.
  const bucketOf = (rate: number): RateLimiter =>
    createRateLimiter({ ratePerSecond: rate, burst: Math.max(1, 2 * rate), ...(now && { now }) })
  const shared = limits.everyAction === undefined ? undefined : bucketOf(limits.everyAction)
  const own = new Map([...limits.perAction].map(([action, rate]) => [action, bucketOf(rate)]))
  return { limiterOf: (action) => own.get(action) ?? shared }
}

/**
 * Charges one request to `action`'s budget, after the caller's own (`Throttling.User`): an
 * operator caps an expensive action (a kill of every session, a listing of a huge instance)
 * for everyone at once. Throws `Throttling.API` with `x-acs-retry-after` (whole seconds, ≥ 1).
 */
export function throttleAction(limiter: ActionLimiter | undefined, action: string): void {
  const bucket = limiter?.limiterOf(action)
  if (bucket === undefined) return
  const decision = bucket.take(action)
  if (decision.allowed) return
  throw new ApiError('Throttling.API', {
    detail: `more than ${bucket.ratePerSecond} ${action} requests per second (burst ${bucket.burst}) from all callers`,
    headers: { 'x-acs-retry-after': String(decision.retryAfterSeconds) },
  })
}
