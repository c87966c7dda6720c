import { ApiError } from '../errors/api-error.ts'

/** Failed sign-ins allowed per source address and window before `Throttling.User`. */
export const MAX_FAILED_SIGN_INS = 10
/** Window of {@link MAX_FAILED_SIGN_INS}, ms. */
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000
/** Addresses remembered at most; the oldest window is forgotten first (bounded memory). */
const MAX_TRACKED = 10_000

/** Counts failed console sign-ins per source address (one server process). */
export interface SignInThrottle {
  /** Throws `Throttling.User` (with `x-acs-retry-after`, seconds) while `sourceIp` is blocked. */
  check(sourceIp: string, now: number): void
  recordFailure(sourceIp: string, now: number): void
}

/**
 * Slows password guessing: after {@link MAX_FAILED_SIGN_INS} failures from one address within
 * the window, further attempts are refused without checking the password until it ends. Per
 * address, not per user, so nobody can lock a user (e.g. `admin`) out from elsewhere.
 */
export function createSignInThrottle(): SignInThrottle {
  const windows = new Map<string, { failures: number; resetAt: number }>()
  const current = (sourceIp: string, now: number) => {
    const window = windows.get(sourceIp)
    if (window !== undefined && window.resetAt <= now) windows.delete(sourceIp)
    return window !== undefined && window.resetAt > now ? window : undefined
  }
  return {
    check(sourceIp, now) {
      const window = current(sourceIp, now)
      if (window === undefined || window.failures < MAX_FAILED_SIGN_INS) return
      const retryAfter = Math.ceil((window.resetAt - now) / 1000)
      throw new ApiError('Throttling.User', {
        detail: 'too many failed sign-ins from this address',
        headers: { 'x-acs-retry-after': String(retryAfter) },
      })
    },
    recordFailure(sourceIp, now) {
      const window = current(sourceIp, now)
      if (window !== undefined) {
        window.failures += 1
        return
      }
      if (windows.size >= MAX_TRACKED) {
        const oldest = windows.keys().next()
        if (oldest.done !== true) windows.delete(oldest.value)
      }
      windows.set(sourceIp, { failures: 1, resetAt: now + SIGN_IN_WINDOW_MS })
    },
  }
}
