import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import type { ActionResult, AnyAction } from '../api/actions/action.ts'
import { rejectionDetail, requestedInstanceId } from '../api/rpc/rejection-audit.ts'
import { toApiError } from '../api/rpc/to-api-error.ts'
import type { Config } from '../config/load-config.ts'
import { createServices } from '../server/create-services.ts'
import { localCallerName } from '../server/local-caller.ts'
import type { AuditEvent, Store } from '../store/store.ts'
import { describeError } from './cli-error.ts'

/** The settings a local action reads (a {@link Config} has them). */
export type LocalActionSettings = Pick<Config, 'nodeTimeoutMs' | 'idleThresholdSeconds'>

/**
 * Runs one API action on the local store as the RPC pipeline would, minus signature and RAM
 * (whoever can open the store file and its master key is an administrator), and audits it the
 * same way when the action is audited: user `local:<OS user>`, source IP `local`, the action's
 * summary on success, `{code, reason}` (the API's `rejectionDetail`) and the InstanceId as given
 * on failure. The one local runner of the CLI: `users`, `keys`, `policies`, `instances add|remove`
 * and `kill` all go through it.
 *
 * As in the server, a failed audit write does not change the outcome: the action happened (or
 * failed) all the same; the lost audit line is one warning on stderr.
 */
export async function runLocalAction(
  store: Store,
  settings: LocalActionSettings,
  action: AnyAction,
  params: Readonly<Record<string, string>>
): Promise<ActionResult> {
  const requestId = randomUUID().toUpperCase()
  const userName = localCallerName()
  const raw = new Map(Object.entries(params))
  const audit = async (
    event: { result: string; instanceId: string | undefined; detail: AuditEvent['detail'] },
    done: string
  ): Promise<void> => {
    if (!action.audited) return
    const { instanceId, result, detail } = event
    try {
      await store.audit.append({
        time: Date.now(),
        requestId,
        userName,
        accessKeyId: '',
        sourceIp: 'local',
        action: action.name,
        ...(instanceId === undefined ? {} : { instanceId }),
        result,
        detail,
      })
    } catch (error) {
      process.stderr.write(
        `redis-sessions: warning: ${action.name} ${done}, but its audit event could not be written: ${describeError(error)}\n`
      )
    }
  }
  let instanceId: string | undefined
  let outcome: ActionResult
  try {
    const prepared = action.prepare(raw)
    instanceId = prepared.instanceId
    const services = createServices(
      store,
      { ...settings, resultCacheMs: 0, rateLimitPerSecond: 0 },
      { logger: pino({ level: 'silent' }) }
    )
    const caller = {
      accessKeyId: '',
      userName,
      scheme: 'V3' as const,
      temporary: false,
      mfaPresent: false,
    }
    outcome = await prepared.run({ requestId, caller, sourceIp: 'local', services })
  } catch (error) {
    const apiError = toApiError(error)
    await audit(
      {
        result: apiError.code,
        instanceId: instanceId ?? requestedInstanceId(raw, action.params),
        detail: rejectionDetail(apiError, raw),
      },
      `failed (${apiError.code})`
    )
    throw error
  }
  await audit({ result: 'Success', instanceId, detail: { ...outcome.audit } }, 'succeeded')
  return outcome
}

/** The `Data` of a local action's result, as a client of the API would read it. */
export function dataOf(result: ActionResult): unknown {
  if ('data' in result) return result.data
  const text = typeof result.dataJson === 'string' ? result.dataJson : result.dataJson.toString()
  return JSON.parse(text) as unknown
}
