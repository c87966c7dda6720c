import { PolicyDocumentError } from '../authz/policy-document.ts'
import { ApiError } from '../errors/api-error.ts'
import { InvalidFilterError } from '../../core/filter/session-filter.ts'
import {
  StoreConflictError,
  StoreInvalidInputError,
  StoreNotFoundError,
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
  if (isFastifyError(error)) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('RequestBodyTooLarge')
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return new ApiError('InvalidParameter.Format', { detail: error.code })
    }
  }
  return new ApiError('InternalError', { cause: error })
}

function isFastifyError(error: unknown): error is { code: string; statusCode?: number } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('FST_')
  )
}
