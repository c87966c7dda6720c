import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import type { ActionResult, AnyAction } from '../api/actions/action.ts'
import { rejectionDetail, requestedInstanceId } from '../api/rpc/rejection-audit.ts'
import { toApiError } from '../api/rpc/to-api-error.ts'
import type { Config } from '../config/load-config.ts'
import { createServices } from '../server/create-services.ts'
import type { Store } from '../store/store.ts'
import { localCallerName } from './identity/identity-client.ts'

/**
 * Runs one API action on the local store as the RPC pipeline would, minus signature and RAM
 * (whoever can open the store file and its master key is an administrator), and audits it the
 * same way when the action is audited: user `local:<OS user>`, source IP `local`, the action's
 * summary on success, `{code, reason}` and the InstanceId as given on failure.
 */
export async function runLocalAction(
  store: Store,
  config: Pick<Config, 'nodeTimeoutMs' | 'idleThresholdSeconds'>,
  action: AnyAction,
  params: Readonly<Record<string, string>>
): Promise<ActionResult> {
  const requestId = randomUUID().toUpperCase()
  const userName = localCallerName()
  const raw = new Map(Object.entries(params))
  const audit = async (
    result: string,
    instanceId: string | undefined,
    detail: Readonly<Record<string, string | number | boolean | null>>
  ) => {
    if (!action.audited) return
    await store.audit.append({
      time: Date.now(),
      requestId,
      userName,
      accessKeyId: '',
      sourceIp: 'local',
      action: action.name,
      ...(instanceId === undefined ? {} : { instanceId }),
      result,
      detail: { ...detail },
    })
  }
  let instanceId: string | undefined
  try {
    const prepared = action.prepare(raw)
    instanceId = prepared.instanceId
    const services = createServices(
      store,
      { ...config, resultCacheMs: 0, rateLimitPerSecond: 0 },
      { logger: pino({ level: 'silent' }) }
    )
    const caller = {
      accessKeyId: '',
      userName,
      scheme: 'V3' as const,
      temporary: false,
      mfaPresent: false,
    }
    const outcome = await prepared.run({ requestId, caller, sourceIp: 'local', services })
    await audit('Success', instanceId, outcome.audit ?? {})
    return outcome
  } catch (error) {
    const apiError = toApiError(error)
    const aimedAt = instanceId ?? requestedInstanceId(raw, action.params)
    await audit(apiError.code, aimedAt, rejectionDetail(apiError, raw))
    throw error
  }
}
