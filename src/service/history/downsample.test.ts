import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keptSampleTimes } from './downsample.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0)

describe('keptSampleTimes', () => {
  it('keeps every sample of the last 24 h', () => {
    const times = Array.from({ length: 60 }, (_, i) => NOW - 24 * HOUR + i * MIN)
    assert.deepEqual([...keptSampleTimes(times, NOW)], times)
  })

  it('keeps the latest sample of each epoch-aligned 10-minute bucket before that', () => {
    // 25 h ago is 11:00 the day before: buckets 11:00–11:09:59.999, 11:10–…
    const start = NOW - 25 * HOUR
    const times = Array.from({ length: 30 }, (_, i) => start + i * MIN) // 11:00 … 11:29
    assert.deepEqual(
      [...keptSampleTimes(times, NOW)].map((t) => (t - start) / MIN),
      [9, 19, 29]
    )
  })

  it('handles irregular samples and the boundary at exactly 24 h', () => {
    const bucketStart = NOW - 25 * HOUR
    const times = [
      bucketStart + 1000,
      bucketStart + 2000, // same bucket: this one wins
      bucketStart + 20 * MIN, // alone in its bucket (the 10-minute one between is empty)
      NOW - 24 * HOUR - 1, // old: the last sample of its bucket
      NOW - 24 * HOUR, // recent: kept
    ]
    assert.deepEqual(
      [...keptSampleTimes(times, NOW)].sort((a, b) => a - b),
      [bucketStart + 2000, bucketStart + 20 * MIN, NOW - 24 * HOUR - 1, NOW - 24 * HOUR]
    )
  })

  it('returns nothing for no samples', () => {
    assert.equal(keptSampleTimes([], NOW).size, 0)
  })
})
