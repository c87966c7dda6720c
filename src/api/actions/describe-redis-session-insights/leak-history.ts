import type { SourceSample } from '../../../core/insights/leak-suspects.ts'
import type { Store } from '../../../store/store.ts'

/** How far back leak detection looks for samples, ms: K + 1 samples must fall in it. */
export const LEAK_LOOKBACK_MS = 24 * 3600 * 1000

/**
 * The last `count` samples of an instance's per-source counts within the 24 h before `now`,
 * oldest first. The sample times come from the `total` points, which every sample has, so a
 * sample where no source had a session still counts (as zeros).
 */
export async function recentSourceSamples(
  store: Store,
  instanceId: string,
  count: number,
  now: number
): Promise<SourceSample[]> {
  const range = { instanceId, from: now - LEAK_LOOKBACK_MS, to: now }
  const totals = await store.history.query({ ...range, groupBy: 'total' })
  const times = totals.slice(-count).map((point) => point.time)
  const first = times[0]
  if (first === undefined) return []
  const samples = new Map(times.map((time) => [time, new Map<string, number>()]))
  for (const point of await store.history.query({ ...range, from: first, groupBy: 'source' })) {
    samples.get(point.time)?.set(point.key, point.count)
  }
  return times.map((time) => ({ time, counts: samples.get(time) ?? new Map<string, number>() }))
}
