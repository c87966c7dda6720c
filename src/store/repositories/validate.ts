import { StoreInvalidInputError } from '../errors.ts'

/** Contract §7 user names. */
export const USER_NAME_PATTERN = /^[a-zA-Z0-9._@-]{1,64}$/
/** RAM-like policy names. */
export const POLICY_NAME_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/
/** Contract §2 instance ids. */
export const INSTANCE_ID_PATTERN = /^[a-z][a-z0-9-]{1,63}$/
/** AccessKeyIds given from outside (bootstrap); generated ones are `LTAI` + 20 base62. */
export const ACCESS_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
/** Largest page the store serves; bigger pages are the caller's bug. */
export const MAX_PAGE_SIZE = 1000

/** Throws {@link StoreInvalidInputError} unless `value` matches `pattern`; `what` names the field. */
export function checkPattern(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) {
    throw new StoreInvalidInputError(`${what} must match ${String(pattern)}`)
  }
}

/** Throws unless `value` has at most `max` characters (and at least `min`). */
export function checkLength(what: string, value: string, max: number, min = 0): void {
  if (value.length < min || value.length > max) {
    throw new StoreInvalidInputError(`${what} must be ${min}–${max} characters long`)
  }
}

/** Throws unless `value` is a safe integer ≥ `min`. */
export function checkInteger(what: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new StoreInvalidInputError(`${what} must be an integer ≥ ${min}`)
  }
}

/** Validates a 1-based page and returns the SQL offset. */
export function pageOffset(page: number, pageSize: number): number {
  checkInteger('page number', page, 1)
  checkInteger('page size', pageSize, 1)
  if (pageSize > MAX_PAGE_SIZE) {
    throw new StoreInvalidInputError(`page size must be at most ${MAX_PAGE_SIZE}`)
  }
  return (page - 1) * pageSize
}
