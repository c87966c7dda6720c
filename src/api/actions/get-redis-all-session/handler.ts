import { TopologyDiscoveryError } from '../../../core/errors.ts'
import { ApiError } from '../../errors/api-error.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { instanceIdParam, optionalString } from '../params.ts'
import { presentAllSessionsJson, type AliasOf } from './present.ts'
import { InstanceNotFoundError } from '../../../service/instance-sessions.ts'
import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'

/**
 * GetRedisAllSession (contract §3): every session of every node, merged. Partial
 * results are a success with `Complete: false`; no node answering is
 * `InstanceConnectionFailed` naming each node's cause.
 */
export const getRedisAllSession = defineAction({
  name: 'GetRedisAllSession',
  ramAction: 'hdm:GetRedisAllSession',
  params: ['InstanceId', 'ConsoleContext'],
  audited: false,
  parse: (params) => {
    // ConsoleContext is reserved by DAS: accepted (≤ 4096 chars) and ignored.
    optionalString(params, 'ConsoleContext', 4096)
    return { instanceId: instanceIdParam(params) }
  },
  resource: ({ instanceId }) => instanceArn(instanceId),
  async handle({ instanceId }, { services }) {
    const snapshot = await snapshotOf(instanceId, (id) => services.sessions.get(id))
    const aliasOf = await services.aliasesFor(instanceId)
    return { dataJson: presentShared(snapshot, aliasOf) }
  },
})

// Concurrent requests share one snapshot (single flight); they share its JSON too, as long as
// the alias resolver is the same one (it is rebuilt at most once a second). Without this, 50
// concurrent requests for 48k sessions would each write the same ~20 MB of JSON.
const presented = new WeakMap<SessionsSnapshot, { aliasOf: AliasOf; json: Buffer }>()

function presentShared(snapshot: SessionsSnapshot, aliasOf: AliasOf): Buffer {
  const hit = presented.get(snapshot)
  if (hit !== undefined && hit.aliasOf === aliasOf) return hit.json
  const json = presentAllSessionsJson(snapshot, aliasOf)
  presented.set(snapshot, { aliasOf, json })
  return json
}

/**
 * The instance's snapshot, or the API error that says why there is none: unknown
 * instance (404), no node answering (503). Shared by the actions that list sessions.
 */
export async function snapshotOf(
  instanceId: string,
  get: (instanceId: string) => Promise<SessionsSnapshot>
): Promise<SessionsSnapshot> {
  let snapshot: SessionsSnapshot
  try {
    snapshot = await get(instanceId)
  } catch (error) {
    if (error instanceof InstanceNotFoundError) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    if (error instanceof TopologyDiscoveryError) {
      throw new ApiError('InstanceConnectionFailed', { detail: error.message, cause: error })
    }
    throw error
  }
  const answered = snapshot.outcomes.some((outcome) => outcome.ok)
  if (!answered) {
    const causes = snapshot.outcomes.map((outcome) =>
      outcome.ok ? '' : `${outcome.node.nodeId}: ${outcome.error.message}`
    )
    throw new ApiError('InstanceConnectionFailed', {
      detail: causes.join('; ') || `instance ${instanceId} has no node`,
    })
  }
  return snapshot
}
