import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import { KEEP_ALL, type SessionPredicate } from './session-filter.ts'

/**
 * The snapshot restricted to the sessions the predicate keeps; node outcomes stay. The
 * kept outcomes are object-only (no `table`: it would still hold every row).
 */
export function filterSnapshot(
  snapshot: SessionsSnapshot,
  keep: SessionPredicate
): SessionsSnapshot {
  if (keep === KEEP_ALL) return snapshot
  return {
    ...snapshot,
    outcomes: snapshot.outcomes.map((outcome) =>
      outcome.ok
        ? {
            ok: true as const,
            node: outcome.node,
            tookMs: outcome.tookMs,
            sessions: outcome.sessions.filter((session) => keep(session, outcome.node.nodeId)),
          }
        : outcome
    ),
  }
}
