/** Samples younger than this keep full resolution, ms (24 h). */
export const FULL_RESOLUTION_MS = 24 * 3600 * 1000
/** Resolution of older samples, ms (10 min). */
export const DOWNSAMPLED_RESOLUTION_MS = 10 * 60 * 1000

/**
 * The sample times to show, out of `times` (ascending, distinct), seen at `now`. The rule:
 *
 * - a sample at `t >= now - 24 h` is kept;
 * - older samples fall into 10-minute buckets aligned to the epoch
 *   (`bucket = floor(t / 600 000)`, so 00:00–00:09:59.999, 00:10–…, in UTC), and only the
 *   **latest** sample of each bucket is kept, at its own timestamp, with all its groups.
 *
 * Whole samples are kept or dropped, never averaged: `Total`, `Active` and every group of a
 * point then still come from one collection and add up. With the default 60 s interval that
 * is 1,440 points for the last day and 144 per older day.
 *
 * The history sampler applies the same rule to the store once an hour (`store.history.thin`);
 * reads still apply it too, so samples that crossed the 24 h line since the last run are
 * shown thinned all the same.
 */
export function keptSampleTimes(times: readonly number[], now: number): Set<number> {
  const cutoff = now - FULL_RESOLUTION_MS
  const kept = new Set<number>()
  let lastOld: number | undefined
  for (const time of times) {
    if (time >= cutoff) {
      kept.add(time)
      continue
    }
    if (lastOld !== undefined && bucketOf(lastOld) !== bucketOf(time)) kept.add(lastOld)
    lastOld = time
  }
  if (lastOld !== undefined) kept.add(lastOld)
  return kept
}

function bucketOf(time: number): number {
  return Math.floor(time / DOWNSAMPLED_RESOLUTION_MS)
}
