import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import { isReplicationLink, type ClientSession } from '../sessions/client-session.ts'

/** Defaults of {@link InsightOptions}. */
export const DEFAULT_IDLE_THRESHOLD_SECONDS = 3600
export const DEFAULT_OUTPUT_BUFFER_THRESHOLD_BYTES = 1024 * 1024
export const DEFAULT_TOP_SOURCES = 10
export const DEFAULT_LIST_LIMIT = 100
/** `ByLibrary` key of sessions without `lib-name` (before 7.2, or a client that sets none). */
export const UNKNOWN_LIBRARY = 'unknown'

/** Thresholds and list sizes of {@link summarizeInsights}. */
export interface InsightOptions {
  /** A session idle at least this long, seconds, counts as idle. */
  idleThresholdSeconds: number
  /** A session whose `omem` is above this, bytes, is listed. */
  outputBufferThresholdBytes: number
  /** Sources listed per count (idle, unnamed). */
  topSources: number
  /** Sessions listed per list (large buffers, blocked); the count covers all. */
  listLimit: number
}

/** A session with the node it is on (ids are per node). */
export interface NodeSession {
  nodeId: string
  session: ClientSession
}

/** A count by client address, largest first. */
export interface SourceCount {
  key: string
  count: number
}

/** A count with the sources behind it. */
export interface CountBySource {
  count: number
  topSources: SourceCount[]
}

/** What one snapshot says about the health of an instance's clients. */
export interface SessionInsights {
  /** Client sessions considered (replication links left out). */
  total: number
  /** Idle ≥ threshold; pub/sub subscribers and blocked clients wait by design and are left out. */
  idle: CountBySource
  /** `omem` > threshold, largest first. */
  largeOutputBuffers: { count: number; sessions: NodeSession[] }
  /** Flag `b` (BLPOP, WAIT, XREAD BLOCK…), longest idle first. */
  blocked: { count: number; sessions: NodeSession[] }
  /** No `CLIENT SETNAME`: the sessions nobody can attribute to an application. */
  unnamed: CountBySource
  /** By `lib-name` (`unknown` when empty), count descending then name. */
  byLibrary: SourceCount[]
}

/**
 * One pass over a snapshot's sessions (nodes that failed contribute nothing). Replication
 * links (flags `S`/`M`) are not application clients and are left out of every figure.
 */
export function summarizeInsights(
  snapshot: SessionsSnapshot,
  options: InsightOptions
): SessionInsights {
  const idle = new Map<string, number>()
  const unnamed = new Map<string, number>()
  const libraries = new Map<string, number>()
  const large: NodeSession[] = []
  const blocked: NodeSession[] = []
  let total = 0
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    for (const session of outcome.sessions) {
      if (isReplicationLink(session)) continue
      total++
      const entry = { nodeId: outcome.node.nodeId, session }
      const isBlocked = session.flags.includes('b')
      const waitsByDesign = isBlocked || session.flags.includes('P')
      if (!waitsByDesign && session.idle >= options.idleThresholdSeconds) {
        increment(idle, session.client)
      }
      if (session.name === '') increment(unnamed, session.client)
      if (session.omem > options.outputBufferThresholdBytes) large.push(entry)
      if (isBlocked) blocked.push(entry)
      increment(libraries, session.libName || UNKNOWN_LIBRARY)
    }
  }
  large.sort((a, b) => b.session.omem - a.session.omem || byNodeThenId(a, b))
  blocked.sort((a, b) => b.session.idle - a.session.idle || byNodeThenId(a, b))
  return {
    total,
    idle: countBySource(idle, options.topSources),
    largeOutputBuffers: { count: large.length, sessions: large.slice(0, options.listLimit) },
    blocked: { count: blocked.length, sessions: blocked.slice(0, options.listLimit) },
    unnamed: countBySource(unnamed, options.topSources),
    byLibrary: sortedCounts(libraries),
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

function countBySource(counts: Map<string, number>, top: number): CountBySource {
  const sorted = sortedCounts(counts)
  return { count: sorted.reduce((sum, s) => sum + s.count, 0), topSources: sorted.slice(0, top) }
}

function sortedCounts(counts: Map<string, number>): SourceCount[] {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function byNodeThenId(a: NodeSession, b: NodeSession): number {
  return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : a.session.id - b.session.id
}
