/** Default number of consecutive increases that make a source a leak suspect. */
export const DEFAULT_LEAK_SAMPLES = 5

/** One sample of per-source counts; a source absent from `counts` had no session. */
export interface SourceSample {
  time: number
  counts: ReadonlyMap<string, number>
}

/** A source whose session count rose at every one of the last K samples. */
export interface LeakSuspect {
  key: string
  /** Its count at the last K + 1 samples, oldest first. */
  series: { time: number; count: number }[]
  /** Last count minus the first of the series. */
  growth: number
}

/**
 * Sources whose session count grew strictly at each of the last `samples` steps, i.e. over
 * the last `samples + 1` samples (the default 5 steps at the 60 s interval: five minutes of
 * uninterrupted growth, which a connection pool that has reached its size does not show).
 * Keys in `ignore` (the sampler's `others` bucket) are not sources. Largest growth first,
 * then key. Fewer samples than needed: none.
 */
export function findLeakSuspects(
  history: readonly SourceSample[],
  samples: number,
  ignore: ReadonlySet<string> = new Set()
): LeakSuspect[] {
  const window = [...history].sort((a, b) => a.time - b.time).slice(-(samples + 1))
  if (samples < 1 || window.length < samples + 1) return []
  const last = window[window.length - 1]
  const suspects: LeakSuspect[] = []
  // A growing source has sessions at the last sample, so the last sample names every candidate.
  for (const key of last?.counts.keys() ?? []) {
    if (ignore.has(key)) continue
    const series = window.map((sample) => ({
      time: sample.time,
      count: sample.counts.get(key) ?? 0,
    }))
    const grows = series.every((point, i) => i === 0 || point.count > (series[i - 1]?.count ?? 0))
    if (!grows) continue
    const growth = (series[series.length - 1]?.count ?? 0) - (series[0]?.count ?? 0)
    suspects.push({ key, series, growth })
  }
  return suspects.sort(
    (a, b) => b.growth - a.growth || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  )
}
