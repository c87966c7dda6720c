/** Request time stamps: `Timestamp` (V1) and `x-acs-date` (V3), protocol.md §10. */
import { ApiError } from '../errors/api-error.ts'

/** A request is accepted when its time stamp is within this distance of our clock, either way. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000

const FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/**
 * Parses `yyyy-MM-ddTHH:mm:ssZ` (UTC, no fraction, as every SDK sends it). Anything else, or an
 * impossible date such as February 30, is `InvalidTimeStamp.Format`.
 */
export function parseTimestamp(value: string): Date {
  if (FORMAT.test(value)) {
    const date = new Date(value)
    // Date may roll impossible fields over or give up (NaN); a round trip catches both.
    if (!Number.isNaN(date.getTime()) && formatTimestamp(date) === value) return date
  }
  throw new ApiError('InvalidTimeStamp.Format', {
    detail: `expected yyyy-MM-ddTHH:mm:ssZ (UTC), got "${value.slice(0, 64)}"`,
  })
}

/** `InvalidTimeStamp.Expired` unless `|now − time| ≤ 15 min` (a little future skew is fine). */
export function checkTimestampWindow(time: Date, now: Date): void {
  if (Math.abs(now.getTime() - time.getTime()) > SIGNATURE_WINDOW_MS) {
    throw new ApiError('InvalidTimeStamp.Expired', {
      detail: `time stamp ${formatTimestamp(time)} is more than 15 minutes from server time ${formatTimestamp(now)}`,
    })
  }
}

/** Formats a date as the SDKs do: `2024-01-01T00:00:00Z`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
