/**
 * In-memory token buckets, one per key (the caller's AccessKeyId). A bucket holds up to `burst`
 * tokens and refills at `ratePerSecond`; a request takes one token or is refused with the time
 * until one is back. One server process: several replicas each enforce their own limit.
 */

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained requests per second and key; must be > 0. */
  ratePerSecond: number
  /** Bucket size: requests a rested key may send at once. Default `2 × ratePerSecond`. */
  burst?: number
  /** Keys remembered at most (bounded memory); rested buckets are forgotten first. Default 10 000. */
  maxKeys?: number
  /** Monotonic clock, ms. Default `performance.now` (wall-clock jumps must not refill buckets). */
  now?: () => number
}

/** What {@link RateLimiter.take} decided. */
export type RateDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false
      /** Whole seconds until a token is back, ≥ 1 (the `x-acs-retry-after` value). */
      readonly retryAfterSeconds: number
    }

/** Per-key token buckets. */
export interface RateLimiter {
  readonly ratePerSecond: number
  readonly burst: number
  /** Takes one token from `key`'s bucket, or says how long to wait. */
  take(key: string): RateDecision
}

interface Bucket {
  tokens: number
  at: number
}

const DEFAULT_MAX_KEYS = 10_000

/** Builds the limiter; throws a RangeError for a rate or burst that is not positive. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const rate = options.ratePerSecond
  const burst = options.burst ?? 2 * rate
  if (!(rate > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst ≥ 1')
  const now = options.now ?? (() => performance.now())
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS
  const buckets = new Map<string, Bucket>()

  const refill = (bucket: Bucket, at: number): void => {
    bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * rate)
    bucket.at = at
  }

  const makeRoom = (at: number): void => {
    // A full bucket carries no state: forgetting it changes nothing for its key.
    for (const [key, bucket] of buckets) {
      refill(bucket, at)
      if (bucket.tokens >= burst) buckets.delete(key)
    }
    // Still too many busy keys: drop the least recently created (it gets a full bucket back).
    while (buckets.size >= maxKeys) {
      const oldest = buckets.keys().next()
      if (oldest.done === true) break
      buckets.delete(oldest.value)
    }
  }

  return {
    ratePerSecond: rate,
    burst,
    take(key) {
      const at = now()
      let bucket = buckets.get(key)
      if (bucket === undefined) {
        if (buckets.size >= maxKeys) makeRoom(at)
        bucket = { tokens: burst, at }
        buckets.set(key, bucket)
      } else {
        refill(bucket, at)
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return { allowed: true }
      }
      const waitSeconds = (1 - bucket.tokens) / rate
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) }
    },
  }
}
