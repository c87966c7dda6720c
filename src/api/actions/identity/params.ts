import { POLICY_NAME_PATTERN, USER_NAME_PATTERN } from '../../../store/repositories/validate.ts'
import { invalid, optionalString, requiredString } from '../params.ts'

/** Shortest console password accepted (RAM's default password policy asks for 8). */
export const MIN_PASSWORD_LENGTH = 8
/** Longest console password accepted; bounds the scrypt input. */
export const MAX_PASSWORD_LENGTH = 128

/** A user name (`^[a-zA-Z0-9._@-]{1,64}$`, contract §7); `InvalidParams` otherwise. */
export function userNameParam(params: ReadonlyMap<string, string>, name = 'UserName'): string {
  const value = requiredString(params, name, 64)
  if (!USER_NAME_PATTERN.test(value)) invalid(`${name} must match ${String(USER_NAME_PATTERN)}`)
  return value
}

/** {@link userNameParam} when present; `undefined` when absent or empty. */
export function optionalUserNameParam(
  params: ReadonlyMap<string, string>,
  name = 'UserName'
): string | undefined {
  const value = params.get(name)
  return value === undefined || value === '' ? undefined : userNameParam(params, name)
}

/** A policy name (`^[a-zA-Z0-9._-]{1,128}$`, as RAM's). */
export function policyNameParam(params: ReadonlyMap<string, string>, name = 'PolicyName'): string {
  const value = requiredString(params, name, 128)
  if (!POLICY_NAME_PATTERN.test(value)) {
    invalid(`${name} must match ${String(POLICY_NAME_PATTERN)}`)
  }
  return value
}

/**
 * RAM's `PolicyType`: accepted so RAM-shaped calls work, and ignored, because every policy of
 * redis-sessions is a custom one. `System` is refused rather than silently treated as `Custom`.
 */
export function policyTypeParam(params: ReadonlyMap<string, string>): void {
  const value = optionalString(params, 'PolicyType', 16)
  if (value !== undefined && value !== '' && value !== 'Custom') {
    invalid('PolicyType must be Custom: every policy of redis-sessions is a custom policy')
  }
}

/**
 * Checks a console password: 8–128 characters. The message never contains the password.
 * Shared by the `CreateUser`/`UpdateLoginProfile` actions and the CLI.
 */
export function checkPassword(password: string, name = 'Password'): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    invalid(`${name} must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters long`)
  }
  return password
}

/** A required password parameter, checked by {@link checkPassword}. */
export function passwordParam(params: ReadonlyMap<string, string>, name = 'Password'): string {
  const value = params.get(name)
  if (value === undefined || value === '') invalid(`${name} is required`)
  return checkPassword(value, name)
}
