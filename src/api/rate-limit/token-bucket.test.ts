import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ApiError } from '../errors/api-error.ts'
import { throttleCaller } from './throttle-caller.ts'
import { createRateLimiter, type RateLimiter } from './token-bucket.ts'

/** A clock the test moves by hand, so no assertion depends on how fast the machine is. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000
  return { now: () => at, advance: (ms) => (at += ms) }
}

function takeN(limiter: RateLimiter, key: string, n: number): boolean[] {
  return Array.from({ length: n }, () => limiter.take(key).allowed)
}

describe('createRateLimiter', () => {
  it('allows a burst of twice the rate, then refuses with the wait in whole seconds', () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ ratePerSecond: 2, now: clock.now })
    assert.equal(limiter.burst, 4)
    assert.deepEqual(takeN(limiter, 'k', 4), [true, true, true, true])
    assert.deepEqual(limiter.take('k'), { allowed: false, retryAfterSeconds: 1 })
  })

  it('rounds the wait up: one token per 10 s means retry after 10', () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ ratePerSecond: 0.1, burst: 1, now: clock.now })
    assert.equal(limiter.take('k').allowed, true)
    assert.deepEqual(limiter.take('k'), { allowed: false, retryAfterSeconds: 10 })
    clock.advance(7_500)
    assert.deepEqual(limiter.take('k'), { allowed: false, retryAfterSeconds: 3 })
  })

  it('refills at the rate and never above the burst', () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 3, now: clock.now })
    assert.deepEqual(takeN(limiter, 'k', 4), [true, true, true, false])
    clock.advance(500)
    assert.deepEqual(takeN(limiter, 'k', 2), [true, false])
    clock.advance(3_600_000)
    assert.deepEqual(takeN(limiter, 'k', 4), [true, true, true, false])
  })

  it('keeps one bucket per key', () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, now: manualClock().now })
    assert.deepEqual(takeN(limiter, 'a', 3), [true, true, false])
    assert.deepEqual(takeN(limiter, 'b', 2), [true, true])
  })

  it('bounds memory: past maxKeys the oldest busy bucket is forgotten (full again)', () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => 0 })
    assert.deepEqual(takeN(limiter, 'a', 2), [true, false])
    assert.deepEqual(takeN(limiter, 'b', 2), [true, false])
    assert.equal(limiter.take('c').allowed, true)
    assert.equal(limiter.take('b').allowed, false, 'b is still remembered')
    assert.equal(limiter.take('a').allowed, true, 'a was forgotten')
  })

  it('rejects a rate that is not positive', () => {
    assert.throws(() => createRateLimiter({ ratePerSecond: 0 }), RangeError)
  })
})

describe('throttleCaller', () => {
  it('throws Throttling.User with x-acs-retry-after once the bucket is empty', () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1, now: () => 0 })
    throttleCaller(limiter, 'AK1')
    const error = (() => {
      try {
        throttleCaller(limiter, 'AK1')
      } catch (thrown) {
        return thrown
      }
      return undefined
    })()
    assert.ok(error instanceof ApiError)
    assert.equal(error.code, 'Throttling.User')
    assert.deepEqual(error.headers, { 'x-acs-retry-after': '1' })
  })

  it('does nothing without a limiter (REDIS_SESSIONS_RATE_LIMIT=0)', () => {
    for (let i = 0; i < 1000; i++) throttleCaller(undefined, 'AK1')
  })
})
