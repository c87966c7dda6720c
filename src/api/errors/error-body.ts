/**
 * The JSON body of every error response (protocol.md §8): `RequestId, HostId, Code, Message,
 * Recommend`, plus `Detail` and `AccessDeniedDetail` when there are some. The official SDKs read
 * `Code`, `Message`, `RequestId`, `AccessDeniedDetail`; the rest is for people.
 */
import type { ApiError } from './api-error.ts'

/** Wire shape of an error body. */
export interface ErrorBody {
  readonly RequestId: string
  readonly HostId: string
  readonly Code: string
  readonly Message: string
  readonly Recommend: string
  readonly Detail?: string
  readonly AccessDeniedDetail?: object
}

/**
 * Builds the body for `error`. `host` is the Host the caller addressed (DAS answers its endpoint
 * name). `Recommend` keeps Alibaba's troubleshooting-link shape, whose page explains the gateway
 * codes that we share with Alibaba.
 */
export function errorBody(error: ApiError, requestId: string, host: string): ErrorBody {
  const recommend =
    'https://api.aliyun.com/troubleshoot?q=' +
    encodeURIComponent(error.code) +
    '&product=DAS&requestId=' +
    encodeURIComponent(requestId)
  return {
    RequestId: requestId,
    HostId: host,
    Code: error.code,
    Message: error.message,
    Recommend: recommend,
    ...(error.detail === undefined ? {} : { Detail: error.detail }),
    ...(error.extra?.AccessDeniedDetail === undefined
      ? {}
      : { AccessDeniedDetail: error.extra.AccessDeniedDetail }),
  }
}
