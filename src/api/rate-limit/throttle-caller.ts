import { ApiError } from '../errors/api-error.ts'
import type { RateLimiter } from './token-bucket.ts'

/** Default of `REDIS_SESSIONS_RATE_LIMIT`: requests per second and AccessKeyId (burst twice that). */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 50

/**
 * Charges one request to the caller's AccessKeyId. Called only after the signature (and the
 * nonce) verified, so nobody can spend another key's budget with forged requests (protocol.md
 * §9 order). Throws `Throttling.User` with `x-acs-retry-after` (whole seconds, ≥ 1), which
 * openapi-core exposes as `ThrottlingError.retryAfter`. No limiter = no limit.
 */
export function throttleCaller(limiter: RateLimiter | undefined, accessKeyId: string): void {
  if (limiter === undefined) return
  const decision = limiter.take(accessKeyId)
  if (decision.allowed) return
  throw new ApiError('Throttling.User', {
    detail: `more than ${limiter.ratePerSecond} requests per second (burst ${limiter.burst}) with this AccessKey`,
    headers: { 'x-acs-retry-after': String(decision.retryAfterSeconds) },
  })
}
