import { keptSampleTimes } from '../../../service/history/downsample.ts'
import { OTHERS_KEY } from '../../../service/history/snapshot-points.ts'
import type { HistoryGroupBy, HistoryPoint, Store } from '../../../store/store.ts'
import { ApiError } from '../../errors/api-error.ts'

/** Groupings of `GroupBy` (contract §5). */
export const HISTORY_GROUP_BYS: readonly HistoryGroupBy[] = [
  'total',
  'source',
  'node',
  'name',
  'user',
]

/** What to read: one instance, a time range (ms, inclusive), a grouping, optionally one key. */
export interface SessionHistoryQuery {
  instanceId: string
  from: number
  to: number
  groupBy: HistoryGroupBy
  /** Only this group, with `Count: 0` at samples where it had no session. */
  key: string | undefined
}

/** `Groups[]` entry; `Active` (sessions with idle 0) is an extension. */
export interface PresentedGroup {
  Key: string
  Count: number
  Active: number
}

/** One sample of `Data.Points`. */
export interface PresentedHistoryPoint {
  Timestamp: number
  Total: number
  Active: number
  Groups: PresentedGroup[]
}

/** `Data` of DescribeRedisSessionHistory. */
export interface SessionHistoryData {
  Points: PresentedHistoryPoint[]
}

/**
 * The sampled series of one instance (contract §5), oldest first. Samples older than 24 h
 * before `now` are thinned to one per 10 minutes (see `keptSampleTimes`). Each point lists
 * the groups of its sample by count descending, then key. The sampler writes every node and
 * the top 50 plus `others` of sources, names and users, so with `Key` a sample that did not
 * keep the key lists its `others` group instead (the key's sessions, if any, are in it), and
 * a sample without `others` lists the key with `Count: 0`. `GroupBy=total` gives empty `Groups`. Shared by the action and
 * the CLI (local store).
 */
export async function describeSessionHistory(
  store: Store,
  query: SessionHistoryQuery,
  now: number
): Promise<SessionHistoryData> {
  if ((await store.instances.get(query.instanceId)) === undefined) {
    throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${query.instanceId}` })
  }
  const range = { instanceId: query.instanceId, from: query.from, to: query.to }
  const totals = await store.history.query({ ...range, groupBy: 'total' })
  const groups =
    query.groupBy === 'total'
      ? []
      : await store.history.query({
          ...range,
          groupBy: query.groupBy,
          ...(query.key === undefined ? {} : { key: query.key }),
        })
  // A key beyond a sample's top 50 was counted in its `others` group: fetched to say so.
  const others =
    query.key === undefined || query.key === OTHERS_KEY || query.groupBy === 'total'
      ? []
      : await store.history.query({ ...range, groupBy: query.groupBy, key: OTHERS_KEY })
  const othersAt = new Map(others.map((point) => [point.time, point]))
  const totalAt = new Map(totals.map((point) => [point.time, point]))
  const groupsAt = new Map<number, HistoryPoint[]>()
  for (const point of groups) {
    const list = groupsAt.get(point.time) ?? []
    list.push(point)
    groupsAt.set(point.time, list)
  }
  const times = [...new Set([...totalAt.keys(), ...groupsAt.keys()])].sort((a, b) => a - b)
  const kept = keptSampleTimes(times, now)
  return {
    Points: times
      .filter((time) => kept.has(time))
      .map((time) =>
        presentPoint(
          time,
          totalAt.get(time),
          groupsAt.get(time) ?? [],
          query.key,
          othersAt.get(time)
        )
      ),
  }
}

function presentPoint(
  time: number,
  total: HistoryPoint | undefined,
  groups: HistoryPoint[],
  key: string | undefined,
  others: HistoryPoint | undefined
): PresentedHistoryPoint {
  const presented = groups
    .map((point) => ({ Key: point.key, Count: point.count, Active: point.active }))
    .sort((a, b) => b.Count - a.Count || (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
  if (key !== undefined && presented.length === 0) {
    // Not among the groups the sample kept: folded into `others` (its count is at most that),
    // or, when the sample had no `others`, truly without a session.
    presented.push(
      others === undefined
        ? { Key: key, Count: 0, Active: 0 }
        : { Key: OTHERS_KEY, Count: others.count, Active: others.active }
    )
  }
  return {
    Timestamp: time,
    // A sample always has its total; summing the groups covers points written by hand.
    Total: total?.count ?? presented.reduce((sum, group) => sum + group.Count, 0),
    Active: total?.active ?? presented.reduce((sum, group) => sum + group.Active, 0),
    Groups: presented,
  }
}
