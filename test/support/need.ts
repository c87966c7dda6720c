import assert from 'node:assert/strict'

/** `value`, set up by a `before` hook; fails the test with `what` when it is not. */
export function need<T>(value: T | undefined, what = 'not set up'): T {
  assert.ok(value !== undefined, what)
  return value
}
