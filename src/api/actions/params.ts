import { ApiError } from '../errors/api-error.ts'

/** Contract §2: instance ids are chosen at registration. */
export const INSTANCE_ID_PATTERN = /^[a-z][a-z0-9-]{1,63}$/

/** A parameter that must be present and non-empty (`InvalidParams` naming it otherwise). */
export function requiredString(
  params: ReadonlyMap<string, string>,
  name: string,
  maxLength = 1024
): string {
  const value = params.get(name)
  if (value === undefined || value === '') invalid(`${name} is required`)
  if (value.length > maxLength) invalid(`${name} is longer than ${maxLength} characters`)
  return value
}

/** An optional string parameter; `undefined` when absent. */
export function optionalString(
  params: ReadonlyMap<string, string>,
  name: string,
  maxLength = 1024
): string | undefined {
  const value = params.get(name)
  if (value !== undefined && value.length > maxLength) {
    invalid(`${name} is longer than ${maxLength} characters`)
  }
  return value
}

/**
 * `InstanceId` (contract §3, §6): required, 1–64 chars, `^[a-z][a-z0-9-]{1,63}$`; anything
 * else is `InvalidParams` with the reason in `Detail`.
 */
export function instanceIdParam(params: ReadonlyMap<string, string>, name = 'InstanceId'): string {
  const value = requiredString(params, name, 64)
  if (!INSTANCE_ID_PATTERN.test(value)) {
    invalid(`${name} must match ^[a-z][a-z0-9-]{1,63}$ (lower-case letters, digits, '-')`)
  }
  return value
}

/** `true`/`false` (case-insensitive); `fallback` when absent. */
export function booleanParam(
  params: ReadonlyMap<string, string>,
  name: string,
  fallback: boolean
): boolean {
  const value = params.get(name)
  if (value === undefined || value === '') return fallback
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  invalid(`${name} must be true or false`)
}

/** A decimal integer within [min, max]; `fallback` when absent. */
export function integerParam(
  params: ReadonlyMap<string, string>,
  name: string,
  options: { min: number; max: number; fallback?: number }
): number | undefined {
  const value = params.get(name)
  if (value === undefined || value === '') return options.fallback
  const parsed = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(parsed) || parsed < options.min || parsed > options.max) {
    invalid(`${name} must be an integer from ${options.min} to ${options.max}`)
  }
  return parsed
}

/** A time as ms since the epoch or ISO 8601 UTC (contract §5). */
export function timeParam(params: ReadonlyMap<string, string>, name: string): number | undefined {
  const value = params.get(name)
  if (value === undefined || value === '') return undefined
  if (/^\d{1,16}$/.test(value)) return Number(value)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(value)) {
    const time = Date.parse(value)
    if (Number.isFinite(time)) return time
  }
  invalid(`${name} must be ms since the epoch or an ISO 8601 UTC time (2026-01-01T00:00:00Z)`)
}

/** Throws `InvalidParams` (400, contract §6) with the reason in `Detail`. */
export function invalid(detail: string): never {
  throw new ApiError('InvalidParams', { detail })
}
