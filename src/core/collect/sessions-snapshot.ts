import type { Topology } from '../topology/topology.ts'
import { sessionCount, type NodeOutcome } from './node-outcome.ts'

/**
 * Every session of one deployment at one moment: one outcome per node, sorted by
 * NodeId, each node's sessions sorted by id (contract §3 ordering). Consumers
 * (stats, presenters, filters) walk it without copying the sessions.
 */
export interface SessionsSnapshot {
  /** Collection time, ms since the epoch. */
  timestamp: number
  topology: Topology
  outcomes: NodeOutcome[]
}

/** Number of sessions over the nodes that answered. */
export function countSessions(snapshot: SessionsSnapshot): number {
  let total = 0
  for (const outcome of snapshot.outcomes) if (outcome.ok) total += sessionCount(outcome)
  return total
}

/** True when every node answered (`Data.Complete`). */
export function isComplete(snapshot: SessionsSnapshot): boolean {
  return snapshot.outcomes.every((outcome) => outcome.ok)
}
