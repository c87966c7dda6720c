import type {
  CountBySource,
  NodeSession,
  SessionInsights,
} from '../../../core/insights/session-insights.ts'
import type { LeakSuspect } from '../../../core/insights/leak-suspects.ts'

type AliasOf = (client: string) => string

/** A listed session: enough to find it (`NodeId`, `Id`, `Addr`) and to judge it. */
export interface PresentedInsightSession {
  NodeId: string
  Id: number
  Addr: string
  Client: string
  ClientDesc: string
  Name: string
  Cmd: string
  Idle: number
  Age: number
  Flags: string
  Omem: number
  Oll: number
  Obl: number
}

/** `{Count, TopSources:[{Key, Count, ClientDesc}]}`. */
export interface PresentedCountBySource {
  Count: number
  TopSources: { Key: string; Count: number; ClientDesc: string }[]
}

/** Settings and collection facts echoed in `Data`. */
export interface InsightsMeta {
  timestamp: number
  complete: boolean
  idleThresholdSeconds: number
  outputBufferThresholdBytes: number
  leakSamples: number
}

/** `Data` of DescribeRedisSessionInsights. */
export interface PresentedInsights {
  Timestamp: number
  Total: number
  Complete: boolean
  LeakSamples: number
  LeakSuspects: {
    Key: string
    ClientDesc: string
    Count: number
    Growth: number
    Series: { Timestamp: number; Count: number }[]
  }[]
  IdleSessions: PresentedCountBySource & { ThresholdSeconds: number }
  LargeOutputBuffers: { ThresholdBytes: number; Count: number; Sessions: PresentedInsightSession[] }
  Blocked: { Count: number; Sessions: PresentedInsightSession[] }
  Unnamed: PresentedCountBySource
  ByLibrary: { Key: string; Count: number }[]
}

/** The wire form (PascalCase) of one snapshot's insights and the leak suspects. */
export function presentInsights(
  insights: SessionInsights,
  suspects: LeakSuspect[],
  meta: InsightsMeta,
  aliasOf: AliasOf
): PresentedInsights {
  const session = (entry: NodeSession) => presentSession(entry, aliasOf)
  return {
    Timestamp: meta.timestamp,
    Total: insights.total,
    Complete: meta.complete,
    LeakSamples: meta.leakSamples,
    LeakSuspects: suspects.map((suspect) => ({
      Key: suspect.key,
      ClientDesc: aliasOf(suspect.key),
      Count: suspect.series[suspect.series.length - 1]?.count ?? 0,
      Growth: suspect.growth,
      Series: suspect.series.map((point) => ({ Timestamp: point.time, Count: point.count })),
    })),
    IdleSessions: {
      ThresholdSeconds: meta.idleThresholdSeconds,
      ...presentCountBySource(insights.idle, aliasOf),
    },
    LargeOutputBuffers: {
      ThresholdBytes: meta.outputBufferThresholdBytes,
      Count: insights.largeOutputBuffers.count,
      Sessions: insights.largeOutputBuffers.sessions.map(session),
    },
    Blocked: { Count: insights.blocked.count, Sessions: insights.blocked.sessions.map(session) },
    Unnamed: presentCountBySource(insights.unnamed, aliasOf),
    ByLibrary: insights.byLibrary.map((lib) => ({ Key: lib.key, Count: lib.count })),
  }
}

function presentCountBySource(counts: CountBySource, aliasOf: AliasOf): PresentedCountBySource {
  return {
    Count: counts.count,
    TopSources: counts.topSources.map((source) => ({
      Key: source.key,
      Count: source.count,
      ClientDesc: aliasOf(source.key),
    })),
  }
}

function presentSession(
  { nodeId, session }: NodeSession,
  aliasOf: AliasOf
): PresentedInsightSession {
  return {
    NodeId: nodeId,
    Id: session.id,
    Addr: session.addr,
    Client: session.client,
    ClientDesc: aliasOf(session.client),
    Name: session.name,
    Cmd: session.cmd,
    Idle: session.idle,
    Age: session.age,
    Flags: session.flags,
    Omem: session.omem,
    Oll: session.oll,
    Obl: session.obl,
  }
}
