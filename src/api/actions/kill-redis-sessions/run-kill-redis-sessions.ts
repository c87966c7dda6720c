import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import type { NodeOutcome } from '../../../core/collect/node-outcome.ts'
import {
  killSessions,
  type KillOptions,
  type KillResult,
} from '../../../core/kill/kill-sessions.ts'
import { ApiError } from '../../errors/api-error.ts'
import type { Services } from '../../services.ts'
import { snapshotOf } from '../get-redis-all-session/handler.ts'
import { presentNodes, type PresentedNode } from '../get-redis-all-session/present.ts'
import type { KillRequest, KillSelection } from './kill-params.ts'
import type { SessionRef } from './session-refs.ts'

/** What one KillRedisSessions run did. */
export interface KillRun {
  /** One per chosen or requested session, sorted by NodeId then Id. */
  results: KillResult[]
  /** Nodes that did not answer the listing: a filter could not look at their sessions. */
  unansweredNodes: { nodeId: string; reason: string }[]
  /** Every node of the listing with its status, as GetRedisAllSession's `Data.Nodes`. */
  nodes: PresentedNode[]
}

/**
 * The core of KillRedisSessions, shared by the RPC action and the CLI's local mode: lists the
 * instance afresh (never the cached listing: kill what is connected now; the listing still
 * counts as the instance's last collection and in the collection metrics), kills the
 * selection, then forgets the cached listing. Throws `ApiError` (`InvalidInstanceId.NotFound`,
 * `InstanceConnectionFailed` when no node answered).
 */
export async function runKillRedisSessions(
  request: KillRequest,
  services: Pick<Services, 'deploymentOf' | 'sessions'>
): Promise<KillRun> {
  const { instanceId } = request
  const spec = await services.deploymentOf(instanceId)
  if (spec === undefined) {
    throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
  }
  const snapshot = await snapshotOf(instanceId, () =>
    services.sessions.collectAfresh(instanceId, spec)
  )
  try {
    return await killSelection(snapshot, request.selection, {
      connection: spec.connection,
      dryRun: request.dryRun,
    })
  } finally {
    if (!request.dryRun) services.sessions.invalidate(instanceId)
  }
}

/**
 * Kills (or, on a dry run, lists) the selected sessions of `snapshot` with `CLIENT KILL ID`.
 *
 * Race safety: a node never reuses a client id during its life, so an id taken from the listing
 * can only name that connection or nothing (`gone`). After a restart ids start again from 1, so
 * an id listed before the restart could name a newer connection; the listing is taken right
 * before the kill to keep that window to milliseconds, but an explicit `Sessions` list gathered
 * earlier is only checked against the current listing, not against the restart.
 */
export async function killSelection(
  snapshot: SessionsSnapshot,
  selection: KillSelection,
  options: KillOptions
): Promise<KillRun> {
  const unansweredNodes = snapshot.outcomes.flatMap((outcome) =>
    outcome.ok ? [] : [{ nodeId: outcome.node.nodeId, reason: outcome.error.message }]
  )
  const nodes = presentNodes(snapshot)
  if (selection.kind === 'filter') {
    const results = await killSessions(snapshot, selection.predicate, options)
    return { results: results.map(explainGone).sort(byNodeThenId), unansweredNodes, nodes }
  }
  const wanted = new Map<string, Set<number>>()
  for (const ref of selection.sessions) {
    const ids = wanted.get(ref.nodeId) ?? new Set<number>()
    ids.add(ref.id)
    wanted.set(ref.nodeId, ids)
  }
  const results = await killSessions(
    snapshot,
    (session, nodeId) => wanted.get(nodeId)?.has(session.id) === true,
    options
  )
  const found = new Set(results.map((result) => keyOf(result.nodeId, result.id)))
  const outcomes = new Map(snapshot.outcomes.map((outcome) => [outcome.node.nodeId, outcome]))
  const missing = selection.sessions
    .filter((ref) => !found.has(keyOf(ref.nodeId, ref.id)))
    .map((ref) => missingResult(ref, outcomes.get(ref.nodeId)))
  const all = [...results.map(explainGone), ...missing].sort(byNodeThenId)
  return { results: all, unansweredNodes, nodes }
}

/** A requested session that the fresh listing does not show: gone, or unknown (node failed). */
function missingResult(ref: SessionRef, outcome: NodeOutcome | undefined): KillResult {
  const base = { nodeId: ref.nodeId, id: ref.id, addr: '', name: '' }
  if (outcome === undefined) {
    return { ...base, result: 'gone', reason: `no node ${ref.nodeId} in the instance now` }
  }
  if (!outcome.ok) {
    return {
      ...base,
      result: 'failed',
      reason: `node did not answer CLIENT LIST: ${outcome.error.message}`,
    }
  }
  return { ...base, result: 'gone', reason: 'not connected: absent from the CLIENT LIST of now' }
}

function explainGone(result: KillResult): KillResult {
  if (result.result !== 'gone' || result.reason !== undefined) return result
  return { ...result, reason: 'disconnected between the listing and the kill' }
}

function keyOf(nodeId: string, id: number): string {
  return `${id} ${nodeId}`
}

function byNodeThenId(a: KillResult, b: KillResult): number {
  if (a.nodeId !== b.nodeId) return a.nodeId < b.nodeId ? -1 : 1
  return a.id - b.id
}
