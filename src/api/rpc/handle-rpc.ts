import type { AnyAction, ActionResult, ListingScope, PreparedAction } from '../actions/action.ts'
import { authorize, listingScope } from '../auth/authorize.ts'
import { ALL_RESOURCES } from '../authz/resource-arn.ts'
import { lookupCredentialIn } from '../auth/lookup-credential.ts'
import { ApiError } from '../errors/api-error.ts'
import { errorBody } from '../errors/error-body.ts'
import { decodeParams, resolveAction } from '../protocol/params.ts'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import { throttleAction } from '../rate-limit/throttle-action.ts'
import { throttleCaller } from '../rate-limit/throttle-caller.ts'
import type { Services } from '../services.ts'
import type { VerifiedCaller } from '../signature/credential.ts'
import { verifySignature } from '../signature/verify-signature.ts'
import { successBody } from './envelope.ts'
import { PROTOCOL_PARAMS } from './protocol-params.ts'
import { rejectionDetail, requestedInstanceId } from './rejection-audit.ts'
import { isServerFault, toApiError } from './to-api-error.ts'

/** The only API version served (DAS 2020-01-16). */
export const API_VERSION = '2020-01-16'
/**
 * Most parameters one request may carry (query and form body together): the largest action
 * needs about 25 with the protocol's own; more is `InvalidParameter.Format` (docs/metrics.md).
 */
export const MAX_PARAMS_PER_REQUEST = 100

export interface RpcResponse {
  status: number
  /** JSON, as text or UTF-8 bytes: always a JSON body, success or error (protocol.md §8). */
  body: string | Buffer
  headers: Record<string, string>
  /** `200`, or the error code of the body (metrics label). */
  code: string
  /** The registered action called; absent when the request named none that exists (metrics label). */
  action?: string | undefined
}

/**
 * One RPC call, in the order of protocol.md §9: parameters → signature (timestamp, key,
 * token, nonce) → action and version → per-AccessKey rate limit → parameter validation → RAM
 * authorization → per-action rate limit → handler. Audited actions are logged with their result, success or not.
 */
export async function handleRpc(
  request: RpcRequest,
  requestId: string,
  services: Services,
  actions: ReadonlyMap<string, AnyAction>
): Promise<RpcResponse> {
  let caller: VerifiedCaller | undefined
  let action: AnyAction | undefined
  let prepared: PreparedAction | undefined
  let params: ReadonlyMap<string, string> | undefined
  try {
    params = decodeParams(request)
    if (params.size > MAX_PARAMS_PER_REQUEST) {
      throw new ApiError('InvalidParameter.Format', {
        detail: `more than ${MAX_PARAMS_PER_REQUEST} parameters`,
      })
    }
    const { action: actionName, version } = resolveAction(params, request.headers)
    const lookup = lookupCredentialIn(services.store)
    caller = await verifySignature(request, params, lookup, services.now(), services.nonces)
    action = actions.get(actionName)
    if (action === undefined) throw new ApiError('InvalidApi.NotFound', { detail: actionName })
    if (version !== API_VERSION) throw new ApiError('InvalidVersion', { detail: version })
    // After the signature and nonce, so only the key's owner can spend its budget (§9 order).
    throttleCaller(services.rateLimiter, caller.accessKeyId)
    rejectUnknownParams(params, action)
    prepared = action.prepare(params)
    const authz = {
      sourceIp: request.sourceIp,
      currentTime: services.now(),
      secureTransport: request.secure,
      mfaPresent: caller.mfaPresent,
      accessKeyId: caller.accessKeyId,
      userName: caller.userName,
    }
    const check = {
      action: action.ramAction,
      resource: prepared.resource,
      temporary: caller.temporary,
      context: authz,
    }
    let scope: ListingScope | undefined
    if (action.scopedListing && prepared.resource === ALL_RESOURCES) {
      // A listing shows each instance the caller may see: denied on `*` it may still see some,
      // allowed on `*` a Deny on one instance still hides that one.
      const denial = await authorize(services.store, check).then(
        () => undefined,
        (denied: unknown) => {
          if (denied instanceof ApiError && denied.code === 'NoPermission') return denied
          throw denied
        }
      )
      scope = await listingScope(services.store, check, denial)
    } else if (!action.selfService) {
      // Self-service actions (sign-out, the caller's own permissions) touch only the caller's
      // own credentials or policies: no RAM check.
      await authorize(services.store, check)
    }
    // Last before running: only a caller allowed to run the action spends its shared budget
    // (a denied or malformed call must not throttle everybody else).
    throttleAction(services.actionLimiter, action.name)
    const sourceIp = request.sourceIp
    const context = { requestId, caller, sourceIp, services, authz }
    const result = await prepared.run(scope === undefined ? context : { ...context, scope })
    await audit(services, {
      requestId,
      request,
      caller,
      action,
      prepared,
      result: 'Success',
      detail: result,
    })
    const body = successBody(requestId, result)
    return { status: 200, body, headers: {}, code: '200', action: action.name }
  } catch (thrown) {
    const error = toApiError(thrown)
    if (isServerFault(error)) {
      services.logger.error({ err: thrown, requestId }, 'request failed unexpectedly')
    }
    if (caller !== undefined && action !== undefined) {
      await audit(services, {
        requestId,
        request,
        caller,
        action,
        prepared,
        result: error.code,
        rejected: {
          instanceId: requestedInstanceId(params, action.params),
          detail: rejectionDetail(error, params),
        },
      })
    }
    const host = request.headers['host']
    const body = errorBody(error, requestId, typeof host === 'string' ? host : 'redis-sessions')
    return {
      status: error.httpStatus,
      body: JSON.stringify(body),
      headers: { ...error.headers },
      code: error.code,
      action: action?.name,
    }
  }
}

function rejectUnknownParams(params: ReadonlyMap<string, string>, action: AnyAction): void {
  for (const name of params.keys()) {
    if (!PROTOCOL_PARAMS.has(name) && !action.params.includes(name)) {
      throw new ApiError('InvalidParams', { detail: `${action.name} has no parameter ${name}` })
    }
  }
}

async function audit(
  services: Services,
  entry: {
    requestId: string
    request: RpcRequest
    caller: VerifiedCaller
    action: AnyAction
    prepared: PreparedAction | undefined
    result: string
    detail?: ActionResult
    /** A failed call: the raw InstanceId when it did not parse, and the error's code and reason. */
    rejected?: { instanceId: string | undefined; detail: Record<string, string> }
  }
): Promise<void> {
  if (!entry.action.audited) return
  const instanceId = entry.prepared?.instanceId ?? entry.rejected?.instanceId
  try {
    await services.store.audit.append({
      time: services.now().getTime(),
      requestId: entry.requestId,
      userName: entry.caller.userName,
      accessKeyId: entry.caller.accessKeyId,
      sourceIp: entry.request.sourceIp,
      action: entry.action.name,
      ...(instanceId === undefined ? {} : { instanceId }),
      result: entry.result,
      detail: { ...entry.detail?.audit, ...entry.rejected?.detail },
    })
  } catch (error) {
    // The action already happened; losing its audit line is logged loudly, not hidden.
    services.logger.error({ err: error, requestId: entry.requestId }, 'audit log write failed')
  }
}
