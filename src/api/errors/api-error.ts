/**
 * `ApiError` is the only error the API throws on purpose (style.md §5): a catalogue code, its HTTP
 * status, and what the error body needs. The single error mapper turns it into a JSON body with
 * {@link errorBody}; nothing branches on `message`.
 */
import { ERROR_CATALOG, type ErrorCode } from './catalog.ts'

/** Extra top-level fields of the error body, e.g. `AccessDeniedDetail` of `NoPermission`. */
export interface ApiErrorExtra {
  readonly AccessDeniedDetail?: object
}

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** Goes to the body's `Detail`: the precise reason, safe to show to the caller. */
  readonly detail?: string
  /**
   * Fills `{Name}` in the catalogue message. For `MissingParameter` it also names the code:
   * `new ApiError('MissingParameter', { name: 'InstanceId' })` → `MissingInstanceId`.
   */
  readonly name?: string
  /** Replaces the catalogue message, e.g. SignatureDoesNotMatch quoting the string to sign. */
  readonly message?: string
  readonly extra?: ApiErrorExtra
  /** Response headers, e.g. `x-acs-retry-after` of throttling errors. */
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
}

// A `{Name}` that was not given still reads as a sentence.
const UNNAMED = 'A required parameter'

/** A coded error with its HTTP status; see docs/errors.md. */
export class ApiError extends Error {
  /** Wire code: a catalogue code, or `Missing{Name}` derived from `MissingParameter`. */
  readonly code: string
  /** The catalogue entry this error comes from (the code itself unless `Missing{Name}`). */
  readonly catalogCode: ErrorCode
  readonly httpStatus: number
  readonly detail: string | undefined
  readonly extra: ApiErrorExtra | undefined
  readonly headers: Readonly<Record<string, string>> | undefined

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    const entry = ERROR_CATALOG[code]
    const message = options.message ?? entry.message.replace('{Name}', options.name ?? UNNAMED)
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ApiError'
    this.catalogCode = code
    this.code =
      code === 'MissingParameter' && options.name !== undefined ? `Missing${options.name}` : code
    this.httpStatus = entry.httpStatus
    this.detail = options.detail
    this.extra = options.extra
    this.headers = options.headers
  }
}

/** True for an {@link ApiError} (for mappers that receive `unknown`). */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}
