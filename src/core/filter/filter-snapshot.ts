import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import type { SessionPredicate } from './session-filter.ts'

/** The snapshot restricted to the sessions the predicate keeps; node outcomes stay. */
export function filterSnapshot(
  snapshot: SessionsSnapshot,
  keep: SessionPredicate
): SessionsSnapshot {
  return {
    ...snapshot,
    outcomes: snapshot.outcomes.map((outcome) =>
      outcome.ok
        ? {
            ...outcome,
            sessions: outcome.sessions.filter((session) => keep(session, outcome.node.nodeId)),
          }
        : outcome
    ),
  }
}
