import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ApiError } from '../errors/api-error.ts'
import { createActionLimiter, NO_API_RATE_LIMITS, throttleAction } from './throttle-action.ts'

/** The code and retry header `throttleAction` threw, or undefined when it let the call through. */
function outcome(run: () => void): { code: string; retryAfter?: string } | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    assert.ok(error instanceof ApiError)
    const retryAfter = error.headers?.['x-acs-retry-after']
    return { code: error.code, ...(retryAfter === undefined ? {} : { retryAfter }) }
  }
}

describe('createActionLimiter / throttleAction', () => {
  it('builds nothing when no limit is configured', () => {
    assert.equal(createActionLimiter(NO_API_RATE_LIMITS), undefined)
    assert.equal(
      outcome(() => throttleAction(undefined, 'GetRedisAllSession')),
      undefined
    )
  })

  it('gives a named action its own rate and every other action the bare one, each its own bucket', () => {
    let at = 0
    const limiter = createActionLimiter(
      { everyAction: 1, perAction: new Map([['KillInstanceAllSession', 0.2]]) },
      () => at
    )
    // 0.2/s: burst 1 (never below one request), the next token 5 s later.
    assert.equal(
      outcome(() => throttleAction(limiter, 'KillInstanceAllSession')),
      undefined
    )
    assert.deepEqual(
      outcome(() => throttleAction(limiter, 'KillInstanceAllSession')),
      {
        code: 'Throttling.API',
        retryAfter: '5',
      }
    )
    // 1/s, burst 2, counted per action: GetRedisAllSession does not spend DescribeAuditLog's.
    for (const action of ['GetRedisAllSession', 'GetRedisAllSession', 'DescribeAuditLog']) {
      assert.equal(
        outcome(() => throttleAction(limiter, action)),
        undefined,
        action
      )
    }
    assert.equal(
      outcome(() => throttleAction(limiter, 'GetRedisAllSession'))?.code,
      'Throttling.API'
    )
    at += 5_000
    assert.equal(
      outcome(() => throttleAction(limiter, 'KillInstanceAllSession')),
      undefined
    )
  })

  it('limits only the named actions when there is no bare rate', () => {
    const limiter = createActionLimiter(
      { perAction: new Map([['GetRedisAllSession', 1]]) },
      () => 0
    )
    // 1/s, burst 2: the named action is refused once its burst is spent...
    for (let i = 0; i < 2; i++) {
      assert.equal(
        outcome(() => throttleAction(limiter, 'GetRedisAllSession')),
        undefined
      )
    }
    assert.deepEqual(
      outcome(() => throttleAction(limiter, 'GetRedisAllSession')),
      {
        code: 'Throttling.API',
        retryAfter: '1',
      }
    )
    // ...while an action not named is never limited, however often it is called at one instant.
    for (let i = 0; i < 100; i++) {
      assert.equal(
        outcome(() => throttleAction(limiter, 'DescribeRedisInstances')),
        undefined,
        `call ${i + 1}`
      )
    }
  })
})
