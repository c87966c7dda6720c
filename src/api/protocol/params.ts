/**
 * The request's RPC parameters (protocol.md §1, §4): the query merged with a form body, decoded
 * strictly, and the Action/Version they ask for.
 */
import { ApiError } from '../errors/api-error.ts'
import { decodeForm, decodeQuery } from './form-decode.ts'
import { headerValue, type RpcRequest } from './rpc-request.ts'

/** The action and API version a request asks for. */
export interface ResolvedAction {
  readonly action: string
  readonly version: string
}

/** True when `contentType` is a form body (`application/x-www-form-urlencoded`, any charset). */
export function isFormContentType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return mediaType === 'application/x-www-form-urlencoded'
}

/**
 * Query ∪ form-body parameters. A name given twice (in the query, the body, or both) is
 * `InvalidParameter.Duplicate`: picking one would let a proxy or a client library disagree with
 * us about which value was signed. Bad escapes or bad UTF-8 are `InvalidParameter.Format`.
 */
export function decodeParams(
  req: Pick<RpcRequest, 'query' | 'body' | 'contentType'>
): Map<string, string> {
  const pairs = decodeQuery(req.query)
  if (isFormContentType(req.contentType) && req.body.length > 0) {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.contentType ?? '')?.[1]
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      throw new ApiError('InvalidParameter.Format', {
        detail: `form body charset ${charset} is not supported; use UTF-8`,
      })
    }
    pairs.push(...decodeForm(req.body))
  }
  const params = new Map<string, string>()
  for (const [key, value] of pairs) {
    if (params.has(key)) throw new ApiError('InvalidParameter.Duplicate', { name: key })
    params.set(key, value)
  }
  return params
}

/**
 * Action and Version from the parameters, else from the `x-acs-action` / `x-acs-version` headers
 * (V3). Parameters win because they are signed in both schemes, while V1 leaves the headers
 * unsigned (pop-core even sends `x-acs-action` without upper-casing it; verifySignature requires
 * Action and Version as V1 parameters). V3 requires the headers to be signed.
 */
export function resolveAction(
  params: ReadonlyMap<string, string>,
  headers: RpcRequest['headers']
): ResolvedAction {
  return {
    action: pick(params, headers, 'Action', 'x-acs-action'),
    version: pick(params, headers, 'Version', 'x-acs-version'),
  }
}

function pick(
  params: ReadonlyMap<string, string>,
  headers: RpcRequest['headers'],
  name: string,
  header: string
): string {
  const value = params.get(name) ?? headerValue({ headers }, header)?.trim()
  if (value === undefined || value === '') throw new ApiError('MissingParameter', { name })
  return value
}
