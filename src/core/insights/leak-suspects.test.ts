import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { findLeakSuspects, type SourceSample } from './leak-suspects.ts'

/** Samples 60 s apart from per-source count columns: `{a: [1, 2, 3]}`. */
function samples(columns: Record<string, number[]>): SourceSample[] {
  const length = Math.max(...Object.values(columns).map((c) => c.length))
  return Array.from({ length }, (_, i) => ({
    time: 60_000 * (i + 1),
    counts: new Map(
      Object.entries(columns).flatMap(([key, column]) => {
        const count = column[i] ?? 0
        return count === 0 ? [] : [[key, count] as const]
      })
    ),
  }))
}

describe('findLeakSuspects', () => {
  it('flags a source that grew at each of the last K samples, with its series', () => {
    const history = samples({
      leaky: [9, 1, 2, 3, 4, 5, 6],
      pool: [10, 10, 10, 10, 10, 10, 10],
      others: [1, 2, 3, 4, 5, 6, 7],
    })
    const suspects = findLeakSuspects(history, 5, new Set(['others']))
    assert.deepEqual(suspects, [
      {
        key: 'leaky',
        growth: 5,
        series: [1, 2, 3, 4, 5, 6].map((count, i) => ({ time: 60_000 * (i + 2), count })),
      },
    ])
  })

  it('does not flag a source that stalled once within the window', () => {
    const history = samples({ a: [1, 2, 3, 3, 4, 5] })
    assert.deepEqual(findLeakSuspects(history, 5), [])
    assert.equal(findLeakSuspects(history, 2).length, 1, 'the last two steps did grow')
  })

  it('counts a source absent from a sample as 0, so appearing and growing is growth', () => {
    const history = samples({ a: [0, 0, 1, 2] })
    assert.deepEqual(findLeakSuspects(history, 3), [], '0 → 0 is no growth')
    assert.deepEqual(
      findLeakSuspects(history, 2).map((s) => s.series.map((p) => p.count)),
      [[0, 1, 2]]
    )
  })

  it('needs K + 1 samples and orders by growth then key', () => {
    assert.deepEqual(findLeakSuspects(samples({ a: [1, 2, 3] }), 3), [])
    const history = samples({ b: [1, 2, 3], a: [1, 2, 3], c: [1, 5, 9] })
    assert.deepEqual(
      findLeakSuspects(history, 2).map((s) => [s.key, s.growth]),
      [
        ['c', 8],
        ['a', 2],
        ['b', 2],
      ]
    )
  })
})
