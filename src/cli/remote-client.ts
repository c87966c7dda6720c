import { buildSignedRequest } from '../api/signature/sign.ts'
import { CliError } from './cli-error.ts'

/**
 * The CLI's remote mode (contract §8): with `--endpoint URL` (or `REDIS_SESSIONS_ENDPOINT`)
 * and `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` in the environment,
 * commands call a server's RPC actions, signed (V3) as the official SDKs sign, instead of
 * opening the local store. Usage in a command:
 *
 *   const target = remoteTargetFrom(options.endpoint, process.env)
 *   if (target !== undefined) data = await createRemoteClient(target).call('DescribeRedisInstances', {})
 */

/** Where and as whom to call. */
export interface RemoteTarget {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  endpoint: string
  accessKeyId: string
  accessKeySecret: string
  /** `ALIBABA_CLOUD_SECURITY_TOKEN`, for temporary credentials. */
  securityToken?: string
}

export { ENDPOINT_OPTION_HELP } from './option-help.ts'

/**
 * The remote target the command line and environment ask for, or `undefined` for the local
 * store. `endpointOption` (`--endpoint`) wins over `REDIS_SESSIONS_ENDPOINT`. An endpoint
 * without an AccessKey in the environment is a CliError (never a silent local fallback).
 */
export function remoteTargetFrom(
  endpointOption: string | undefined,
  env: NodeJS.ProcessEnv
): RemoteTarget | undefined {
  const endpoint = nonEmpty(endpointOption) ?? nonEmpty(env['REDIS_SESSIONS_ENDPOINT'])
  if (endpoint === undefined) return undefined
  if (!/^https?:\/\/[^/]/i.test(endpoint) || !URL.canParse(endpoint)) {
    throw new CliError(
      `--endpoint must be an http:// or https:// URL, got "${endpoint.slice(0, 80)}"`
    )
  }
  const accessKeyId = nonEmpty(env['ALIBABA_CLOUD_ACCESS_KEY_ID'])
  const accessKeySecret = nonEmpty(env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'])
  if (accessKeyId === undefined || accessKeySecret === undefined) {
    throw new CliError(
      `--endpoint ${endpoint} needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment`
    )
  }
  const securityToken = nonEmpty(env['ALIBABA_CLOUD_SECURITY_TOKEN'])
  return {
    endpoint,
    accessKeyId,
    accessKeySecret,
    ...(securityToken === undefined ? {} : { securityToken }),
  }
}

/** A failed API call, local or remote: the server's `Code`, `Message` and `Detail` on one line. */
export class ApiCallError extends CliError {
  readonly code: string
  readonly detail: string | undefined
  constructor(code: string, message: string, detail?: string) {
    super(`${code}: ${message}${detail === undefined || detail === '' ? '' : ` (${detail})`}`)
    this.name = 'ApiCallError'
    this.code = code
    this.detail = detail
  }
}

/** Calls RPC actions on one server. */
export interface RemoteClient {
  readonly endpoint: string
  /**
   * Calls `action` with string parameters; resolves to the response's `Data`. An error
   * response rejects with {@link ApiCallError}; a network failure with a CliError.
   */
  call(action: string, params?: Readonly<Record<string, string>>): Promise<unknown>
}

/** Options of {@link createRemoteClient}. */
export interface RemoteClientOptions {
  /** Whole-call deadline, ms; default 120 s (a large instance's listing takes a while). */
  timeoutMs?: number
}

/**
 * A client for `target`, signing each call with V3 (`buildSignedRequest`, parameters in a form
 * body) and sending it with `fetch`.
 */
export function createRemoteClient(
  target: RemoteTarget,
  options: RemoteClientOptions = {}
): RemoteClient {
  const timeoutMs = options.timeoutMs ?? 120_000
  return {
    endpoint: target.endpoint,
    async call(action, params = {}) {
      // Parameters in the signed body, never in the URL: passwords and CA bundles would
      // otherwise land in every proxy's access log.
      const signed = buildSignedRequest({
        scheme: 'V3',
        action,
        params,
        paramsIn: 'body',
        ...target,
      })
      let status: number
      let text: string
      try {
        const response = await fetch(signed.url, {
          method: signed.method,
          headers: signed.headers,
          ...(signed.body.length === 0 ? {} : { body: signed.body }),
          signal: AbortSignal.timeout(timeoutMs),
        })
        status = response.status
        text = await response.text()
      } catch (error) {
        const cause = error instanceof Error ? (error.cause ?? error) : error
        const reason = cause instanceof Error ? cause.message : String(cause)
        throw new CliError(`cannot reach ${target.endpoint}: ${reason.split('\n', 1)[0] ?? ''}`)
      }
      return dataOf(action, status, text)
    },
  }
}

function dataOf(action: string, status: number, text: string): unknown {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new CliError(`${action}: the server answered HTTP ${status} without a JSON body`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliError(`${action}: the server answered HTTP ${status} with an unexpected body`)
  }
  const fields = new Map<string, unknown>(Object.entries(body))
  if (status === 200 && fields.get('Success') === true) return fields.get('Data')
  const stringField = (name: string) => {
    const value = fields.get(name)
    return typeof value === 'string' ? value : undefined
  }
  throw new ApiCallError(
    stringField('Code') ?? `HTTP${status}`,
    stringField('Message') ?? `${action} failed`,
    stringField('Detail')
  )
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
