import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { CoreError } from '../core/errors.ts'
import * as K from '../core/sessions/client-list-keys.ts'
import type { CollectionStatus } from '../store/store.ts'

export type { CollectionStatus } from '../store/store.ts'

/** Longest `error.message` kept: a big cluster's per-node causes are cut, not stored whole. */
const MAX_MESSAGE = 1000

/**
 * What `snapshot` found, in a few numbers (no session is kept). When no node answered, `error`
 * says so with the code and causes GetRedisAllSession answers (`InstanceConnectionFailed`).
 */
export function statusOfSnapshot(snapshot: SessionsSnapshot): CollectionStatus {
  let total = 0
  let active = 0
  let failedNodes = 0
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) {
      failedNodes++
      continue
    }
    const { table } = outcome
    if (table !== undefined) {
      // Straight from the reply: 50k session objects for one counter would cost more.
      total += table.length
      for (let i = 0; i < table.length; i++) if (table.number(i, K.F_IDLE) === 0) active++
    } else {
      total += outcome.sessions.length
      for (const session of outcome.sessions) if (session.idle === 0) active++
    }
  }
  const nodes = snapshot.outcomes.length
  const status: CollectionStatus = { time: snapshot.timestamp, total, active, nodes, failedNodes }
  if (failedNodes === nodes) {
    const causes = snapshot.outcomes.map((outcome) =>
      outcome.ok ? '' : `${outcome.node.nodeId}: ${outcome.error.message}`
    )
    status.error = failure(causes.join('; ') || 'the instance has no node')
  }
  return status
}

/**
 * A collection that failed as a whole (`collectDeployment` threw): discovery failed, which
 * GetRedisAllSession answers as `InstanceConnectionFailed` with the core's message (it names
 * nodes and causes, never credentials). Anything else is `InternalError` without its message.
 */
export function statusOfError(error: unknown, time: number): CollectionStatus {
  const status: CollectionStatus = { time, total: 0, active: 0, nodes: 0, failedNodes: 0 }
  status.error =
    error instanceof CoreError
      ? failure(error.message.replace(/\s+/g, ' '))
      : { code: 'InternalError', message: 'the collection failed unexpectedly' }
  return status
}

function failure(message: string): { code: string; message: string } {
  const cut = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message
  return { code: 'InstanceConnectionFailed', message: cut }
}

/** `true` when every node answered (`Complete` of GetRedisAllSession) and nothing failed. */
export function isCompleteStatus(status: CollectionStatus): boolean {
  return status.error === undefined && status.failedNodes === 0
}

/**
 * The status to show for an instance changed at `changedAt`: the newer of this process's and
 * the stored (sampler's) one, ignoring both when older than the change (they describe the
 * settings before it, or an earlier instance of the same id).
 */
export function latestStatus(
  changedAt: number,
  ...candidates: (CollectionStatus | undefined)[]
): CollectionStatus | undefined {
  let best: CollectionStatus | undefined
  for (const status of candidates) {
    if (status === undefined || status.time < changedAt) continue
    if (best === undefined || status.time > best.time) best = status
  }
  return best
}
