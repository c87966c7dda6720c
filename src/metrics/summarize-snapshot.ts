import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import * as K from '../core/sessions/client-list-keys.ts'
import type { ClientListTable } from '../core/sessions/client-list-table.ts'
import type { ClientSession } from '../core/sessions/client-session.ts'
import type { NodeRole } from '../core/topology/topology.ts'

/** Sources (client addresses) exported per instance; the rest are summed as `others`. */
export const DEFAULT_TOP_SOURCES = 20
/** Label value of the sources beyond the top N. */
export const OTHER_SOURCES = 'others'

/** One node's counts; the counts are absent when the node did not answer. */
export interface NodeSummary {
  readonly nodeId: string
  readonly role: NodeRole
  readonly counts: NodeCounts | undefined
}

/** What the per-node gauges export. */
export interface NodeCounts {
  sessions: number
  /** `idle` = 0 (contract §3 `ActiveCount`). */
  active: number
  /** `idle` ≥ the threshold. */
  idle: number
  /** Flag `b`. */
  blocked: number
  /** Subscribed to a channel, pattern or shard channel (flag `P`, or `sub`/`psub`/`ssub` > 0). */
  pubsub: number
  /** Sum of `omem`, bytes. */
  outputBufferBytes: number
}

/** A snapshot reduced to what the metrics export: a few numbers per node, a bounded source list. */
export interface InstanceSummary {
  readonly nodes: readonly NodeSummary[]
  /** At most `topSources` entries by count (then address), plus `others` when some were cut. */
  readonly sources: readonly { readonly source: string; readonly count: number }[]
}

/** Options of {@link summarizeSnapshot}. */
export interface SummaryOptions {
  idleThresholdSeconds: number
  topSources?: number | undefined
}

/** One pass over the snapshot's sessions; the sessions themselves are not kept. */
export function summarizeSnapshot(
  snapshot: SessionsSnapshot,
  options: SummaryOptions
): InstanceSummary {
  const bySource = new Map<string, number>()
  const nodes = snapshot.outcomes.map((outcome): NodeSummary => {
    const { nodeId, role } = outcome.node
    if (!outcome.ok) return { nodeId, role, counts: undefined }
    const counts = emptyCounts()
    const { table } = outcome
    if (table !== undefined) {
      // Straight from the reply: building 50k session objects per collection for a few
      // counters cost more than the whole GetRedisAllSession answer.
      for (let i = 0; i < table.length; i++) {
        addRow(counts, table, i, options.idleThresholdSeconds)
        const client = table.client(i)
        bySource.set(client, (bySource.get(client) ?? 0) + 1)
      }
    } else {
      for (const session of outcome.sessions) {
        addSession(counts, session, options.idleThresholdSeconds)
        bySource.set(session.client, (bySource.get(session.client) ?? 0) + 1)
      }
    }
    return { nodeId, role, counts }
  })
  return { nodes, sources: topSources(bySource, options.topSources ?? DEFAULT_TOP_SOURCES) }
}

function emptyCounts(): NodeCounts {
  return { sessions: 0, active: 0, idle: 0, blocked: 0, pubsub: 0, outputBufferBytes: 0 }
}

function addSession(counts: NodeCounts, session: ClientSession, idleThreshold: number): void {
  const subscriptions = session.sub + session.psub + (session.ssub ?? 0)
  add(counts, session.idle, session.flags, subscriptions, session.omem, idleThreshold)
}

function addRow(counts: NodeCounts, table: ClientListTable, i: number, idleThreshold: number) {
  const n = (field: number) => table.number(i, field) ?? 0
  const subscriptions = n(K.F_SUB) + n(K.F_PSUB) + n(K.F_SSUB)
  const flags = table.string(i, K.F_FLAGS) ?? ''
  add(counts, n(K.F_IDLE), flags, subscriptions, n(K.F_OMEM), idleThreshold)
}

function add(
  counts: NodeCounts,
  idle: number,
  flags: string,
  subscriptions: number,
  omem: number,
  idleThreshold: number
): void {
  counts.sessions++
  if (idle === 0) counts.active++
  if (idle >= idleThreshold) counts.idle++
  if (flags.includes('b')) counts.blocked++
  // RESP3 subscribers may lack flag P; the subscription counters tell in every version.
  if (subscriptions > 0 || flags.includes('P')) counts.pubsub++
  counts.outputBufferBytes += omem
}

function topSources(
  counts: ReadonlyMap<string, number>,
  limit: number
): { source: string; count: number }[] {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const top = sorted.slice(0, limit).map(([source, count]) => ({ source, count }))
  let others = 0
  for (const [, count] of sorted.slice(limit)) others += count
  if (others > 0) top.push({ source: OTHER_SOURCES, count: others })
  return top
}
