import type { KillResult, KillResultKind } from '../../../core/kill/kill-sessions.ts'
import type { PresentedNode } from '../get-redis-all-session/present.ts'
import type { KillRequest } from './kill-params.ts'
import type { KillRun } from './run-kill-redis-sessions.ts'

/** One session of KillRedisSessions' `Data.Sessions` (contract §5). */
export interface PresentedKillResult {
  NodeId: string
  Id: number
  Addr: string
  Name: string
  Result: KillResultKind
  /** Why protected, gone or failed; absent otherwise. */
  Reason?: string
}

/**
 * KillRedisSessions' `Data`: `Killed` counts the sessions actually closed (0 on a dry run);
 * `Complete` is false when a node did not answer the listing (a filter could not see its
 * sessions), and `Nodes` says which and why, as GetRedisAllSession's `Data.Nodes`.
 */
export interface PresentedKill {
  Killed: number
  Sessions: PresentedKillResult[]
  Complete: boolean
  Nodes: PresentedNode[]
}

/** The run as wire JSON (DAS PascalCase). */
export function presentKill(run: KillRun): PresentedKill {
  return {
    Killed: countOf(run.results, 'killed'),
    Sessions: run.results.map(presentKillResult),
    Complete: run.unansweredNodes.length === 0,
    Nodes: run.nodes,
  }
}

function presentKillResult(result: KillResult): PresentedKillResult {
  return {
    NodeId: result.nodeId,
    Id: result.id,
    Addr: result.addr,
    Name: result.name,
    Result: result.result,
    ...(result.reason === undefined ? {} : { Reason: result.reason }),
  }
}

/**
 * The audit log's `Detail` of a kill: what was asked (the filter text or how many sessions were
 * named; never credentials), whether it was a dry run, and the count of each result.
 */
export function auditOfKill(
  request: KillRequest,
  run: KillRun
): Record<string, string | number | boolean> {
  const { selection } = request
  return {
    dryRun: request.dryRun,
    ...(selection.kind === 'filter'
      ? { filter: selection.described.slice(0, 300) }
      : { requested: selection.sessions.length }),
    killed: countOf(run.results, 'killed'),
    wouldKill: countOf(run.results, 'would-kill'),
    gone: countOf(run.results, 'gone'),
    protected: countOf(run.results, 'protected'),
    failed: countOf(run.results, 'failed'),
    unansweredNodes: run.unansweredNodes.length,
  }
}

function countOf(results: readonly KillResult[], kind: KillResultKind): number {
  let count = 0
  for (const result of results) if (result.result === kind) count += 1
  return count
}
