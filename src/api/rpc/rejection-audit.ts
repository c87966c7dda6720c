import type { ApiError } from '../errors/api-error.ts'

/** Parameters whose values are secrets: a call that sends one keeps no reason in its audit `Detail`. */
const SECRET_PARAM = /password|secret|token/i
/** Longest reason kept; error details are one line, but a parameter may be long. */
const MAX_REASON = 300

/**
 * The audit `Detail` of a call that failed: its error code and the reason the caller was given
 * (`Detail` of the error body, else its message), so a refused kill says why in the log too.
 * A call that sent a secret parameter (Password…) gets its code only: a reason could quote the
 * value in some form (cut, escaped, encoded) that no check for a verbatim copy would catch.
 */
export function rejectionDetail(
  error: ApiError,
  params: ReadonlyMap<string, string> | undefined
): Record<string, string> {
  const sentSecret = [...(params ?? new Map<string, string>())].some(
    ([name, value]) => SECRET_PARAM.test(name) && value !== ''
  )
  if (sentSecret) return { code: error.code }
  return { code: error.code, reason: (error.detail ?? error.message).slice(0, MAX_REASON) }
}

/**
 * The `InstanceId` a failed call named, as given, when the action takes one: the parsed value
 * is unknown when the parameters did not parse, and the log should still say which instance
 * was aimed at. Cut to 128 characters.
 */
export function requestedInstanceId(
  params: ReadonlyMap<string, string> | undefined,
  actionParams: readonly string[]
): string | undefined {
  if (!actionParams.includes('InstanceId')) return undefined
  const raw = params?.get('InstanceId')
  return raw === undefined || raw === '' ? undefined : raw.slice(0, 128)
}
