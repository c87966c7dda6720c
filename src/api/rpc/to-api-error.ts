import { PolicyDocumentError } from '../authz/policy-document.ts'
import { ApiError } from '../errors/api-error.ts'
import { InvalidFilterError } from '../../core/filter/session-filter.ts'
import {
  StoreConflictError,
  StoreInvalidInputError,
  StoreNotFoundError,
  StoreUnavailableError,
} from '../../store/errors.ts'

/**
 * The one mapper from anything thrown to a wire error (docs/style.md §5): ApiErrors pass,
 * known domain errors get their fixed code, anything else is `InternalError` whose message
 * never echoes internals (the caller logs the original with the RequestId).
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof PolicyDocumentError || error instanceof InvalidFilterError) {
    return new ApiError('InvalidParams', { detail: error.message, cause: error })
  }
  if (error instanceof StoreInvalidInputError) {
    return new ApiError('InvalidParams', { detail: error.message, cause: error })
  }
  if (error instanceof StoreConflictError) {
    return new ApiError('EntityAlreadyExists', { detail: error.message, cause: error })
  }
  if (error instanceof StoreNotFoundError) {
    return new ApiError('EntityNotExist', { detail: error.message, cause: error })
  }
  if (error instanceof StoreUnavailableError) {
    return new ApiError('ServiceUnavailable', { detail: error.message, cause: error })
  }
  const unavailable = storeUnavailable(error)
  if (unavailable !== undefined) {
    return new ApiError('ServiceUnavailable', { detail: unavailable, cause: error })
  }
  if (isFastifyError(error)) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('RequestBodyTooLarge')
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return new ApiError('InvalidParameter.Format', { detail: error.code })
    }
  }
  // The body stream failed on the client's side (Node's `aborted`, ECONNRESET with status 400):
  // the client's fault, not ours, and nobody is left to read the answer.
  if (isClientStreamError(error)) {
    return new ApiError('InvalidParameter.Format', { detail: `request body: ${error.code}` })
  }
  return new ApiError('InternalError', { cause: error })
}

/**
 * Whether `error` is the server's fault and must be logged with its cause: `InternalError`, or
 * `ServiceUnavailable` caused by a dependency (the store), not the notice of a shutdown.
 */
export function isServerFault(error: ApiError): boolean {
  if (error.catalogCode === 'InternalError') return true
  return error.catalogCode === 'ServiceUnavailable' && error.cause !== undefined
}

/**
 * Driver errors that mean the store cannot serve right now (disk full, read-only, I/O, lock,
 * PostgreSQL connection or resource trouble): `ServiceUnavailable`, with the driver's code but
 * not its message. Codes: better-sqlite3's primary `SQLITE_*` codes, PostgreSQL SQLSTATE classes
 * 08 (connection), 53 (insufficient resources, e.g. 53100 disk full), 57P0x (shutting down),
 * and the socket errors of a database server that cannot be reached.
 */
function storeUnavailable(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') {
    return undefined
  }
  const code = error.code
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0]
  const reason = primary === undefined ? undefined : SQLITE_UNAVAILABLE[primary]
  if (reason !== undefined) return `the store is unavailable: ${reason} (${code})`
  if (/^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-3])$/.test(code)) {
    return `the store is unavailable (SQLSTATE ${code})`
  }
  // The PostgreSQL server cannot be reached at all: pg rejects with the socket's own error.
  // (Redis connection errors never get here: the core wraps them per node.) A client's body
  // stream error carries a 4xx statusCode and is the client's fault, handled by the caller.
  if (SOCKET_UNAVAILABLE.has(code) && !('statusCode' in error)) {
    return `the store is unavailable: its database cannot be reached (${code})`
  }
  return undefined
}

const SOCKET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

const SQLITE_UNAVAILABLE: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'its disk is full',
  SQLITE_READONLY: 'its file is read-only',
  SQLITE_IOERR: 'its file cannot be read or written',
  SQLITE_CANTOPEN: 'its file cannot be opened',
  SQLITE_BUSY: 'it is locked by another process',
  SQLITE_LOCKED: 'it is locked',
}

function isFastifyError(error: unknown): error is { code: string; statusCode?: number } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('FST_')
  )
}

function isClientStreamError(error: unknown): error is { code: string; statusCode: number } {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'ECONNRESET' || error.code === 'ECONNABORTED') &&
    'statusCode' in error &&
    typeof error.statusCode === 'number' &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  )
}
