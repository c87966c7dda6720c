/** Constant-time string comparison for signatures and tokens (style.md §7.8). */
import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * True when `a === b`, in time independent of where they differ. Both sides are hashed first so
 * that `timingSafeEqual` gets equal lengths and the length of the expected value does not leak.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/** Compares a hex digest given by the caller with the stored one, ignoring hex case. */
export function safeEqualHex(given: string, expected: string): boolean {
  return safeEqual(given.toLowerCase(), expected.toLowerCase())
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}
