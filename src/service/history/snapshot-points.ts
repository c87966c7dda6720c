import type { SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import type { ClientSession } from '../../core/sessions/client-session.ts'
import type { HistoryGroupBy, HistoryPoint } from '../../store/store.ts'

/** Key of the group that sums every key past a dimension's top N. */
export const OTHERS_KEY = 'others'

/**
 * Keys kept per dimension and sample; the rest is summed into {@link OTHERS_KEY}. Sources,
 * names and users are unbounded (one name per worker, clients from a whole /16), so they are
 * capped to keep the table and the charts small; nodes are bounded by the deployment.
 */
export const TOP_KEYS: Readonly<Record<Exclude<HistoryGroupBy, 'total'>, number>> = {
  source: 50,
  name: 50,
  user: 50,
  node: 1000,
}

/** The store refuses keys over 512 characters; longer ones (client names) are cut here. */
const MAX_KEY_LENGTH = 500

interface Tally {
  count: number
  active: number
}

type KeyOf = (session: ClientSession, nodeId: string) => string

const DIMENSIONS: readonly (readonly [Exclude<HistoryGroupBy, 'total'>, KeyOf])[] = [
  ['source', (session) => session.client],
  ['node', (_session, nodeId) => nodeId],
  ['name', (session) => session.name],
  ['user', (session) => session.user ?? ''],
]

/**
 * The history points of one collection, all stamped `time`: the instance total (key `''`,
 * `active` = sessions with idle 0) and, per dimension, the top keys by count plus `others`.
 * A key absent from a sample means 0 sessions at that time (see `describeSessionHistory`).
 * Nodes that did not answer contribute nothing: a partial collection undercounts, which the
 * sampler logs.
 */
export function snapshotPoints(
  instanceId: string,
  snapshot: SessionsSnapshot,
  time: number
): HistoryPoint[] {
  const total: Tally = { count: 0, active: 0 }
  const tallies = DIMENSIONS.map(() => new Map<string, Tally>())
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    const nodeId = outcome.node.nodeId
    for (const session of outcome.sessions) {
      const active = session.idle === 0 ? 1 : 0
      total.count++
      total.active += active
      DIMENSIONS.forEach(([, keyOf], i) => {
        add(tallies[i], keyOf(session, nodeId).slice(0, MAX_KEY_LENGTH), 1, active)
      })
    }
  }
  const points: HistoryPoint[] = [{ instanceId, time, groupBy: 'total', key: '', ...total }]
  DIMENSIONS.forEach(([groupBy], i) => {
    for (const [key, tally] of capped(tallies[i], TOP_KEYS[groupBy])) {
      points.push({ instanceId, time, groupBy, key, count: tally.count, active: tally.active })
    }
  })
  return points
}

/** The `limit` largest keys (count desc, then key) and, when more, their rest as `others`. */
function capped(tallies: Map<string, Tally> | undefined, limit: number): Map<string, Tally> {
  const sorted = [...(tallies ?? new Map<string, Tally>())].sort(
    ([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0)
  )
  // A Map, not an array: a client really named `others` merges with the rest instead of
  // giving the store the same key twice in one sample.
  const kept = new Map<string, Tally>()
  sorted.forEach(([key, tally], rank) => {
    add(kept, rank < limit ? key : OTHERS_KEY, tally.count, tally.active)
  })
  return kept
}

function add(tallies: Map<string, Tally> | undefined, key: string, count: number, active: number) {
  if (tallies === undefined) return
  const tally = tallies.get(key)
  if (tally === undefined) tallies.set(key, { count, active })
  else {
    tally.count += count
    tally.active += active
  }
}
