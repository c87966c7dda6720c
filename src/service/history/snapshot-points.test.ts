import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import { parseClientList } from '../../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../../core/topology/topology.ts'
import { snapshotPoints, TOP_KEYS } from './snapshot-points.ts'

function line(id: number, addr: string, name: string, idle: number, user = 'default'): string {
  return (
    `id=${id} addr=${addr} fd=8 name=${name} age=10 idle=${idle} flags=N db=0 sub=0 psub=0 ` +
    `multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=ping user=${user}`
  )
}

function snapshotOf(lines: string[]): SessionsSnapshot {
  const node: RedisNode = {
    nodeId: 'r-a-db-0#6379',
    address: { kind: 'tcp', host: '127.0.0.1', port: 6379 },
    role: 'master',
    shard: 0,
  }
  const sessions = parseClientList(lines.join('\n'), 'n')
  return {
    timestamp: 1,
    topology: { kind: 'standalone', nodes: [node] },
    outcomes: [{ ok: true, node, tookMs: 1, sessions }],
  }
}

describe('snapshotPoints', () => {
  it('writes the total with active and one point per key of every dimension', () => {
    const points = snapshotPoints(
      'r-a',
      snapshotOf([
        line(1, '10.0.0.1:1', 'web', 0),
        line(2, '10.0.0.1:2', 'web', 5),
        line(3, '10.0.0.2:1', '', 0, 'app'),
      ]),
      1000
    )
    const shown = points.map((p) => `${p.groupBy} ${p.key} ${p.count}/${p.active}`)
    assert.deepEqual(shown, [
      'total  3/2',
      'source 10.0.0.1 2/1',
      'source 10.0.0.2 1/1',
      'node r-a-db-0#6379 3/2',
      'name web 2/1',
      'name  1/1',
      'user default 2/1',
      'user app 1/1',
    ])
    assert.ok(points.every((p) => p.time === 1000 && p.instanceId === 'r-a'))
  })

  it('keeps the top sources and sums the rest into others', () => {
    const lines = Array.from({ length: TOP_KEYS.source + 5 }, (_, i) =>
      // source i has one session, the first one three: it must rank first.
      line(i + 1, `10.1.${Math.floor(i / 200)}.${i % 200}:1`, 'x', 1)
    )
    lines.push(line(900, '10.1.0.0:2', 'x', 1), line(901, '10.1.0.0:3', 'x', 1))
    const sources = snapshotPoints('r-a', snapshotOf(lines), 1).filter(
      (p) => p.groupBy === 'source'
    )
    assert.equal(sources.length, TOP_KEYS.source + 1)
    assert.deepEqual(sources[0], {
      instanceId: 'r-a',
      time: 1,
      groupBy: 'source',
      key: '10.1.0.0',
      count: 3,
      active: 0,
    })
    assert.equal(sources.at(-1)?.key, 'others')
    assert.equal(sources.at(-1)?.count, 5)
    assert.equal(
      sources.reduce((sum, p) => sum + p.count, 0),
      lines.length
    )
  })

  it('merges a client really named "others" with the rest instead of repeating the key', () => {
    const lines = Array.from({ length: TOP_KEYS.name + 2 }, (_, i) =>
      line(i + 1, '10.0.0.1:1', `n${String(i).padStart(3, '0')}`, 1)
    )
    lines.push(line(500, '10.0.0.1:2', 'others', 1), line(501, '10.0.0.1:3', 'others', 1))
    const names = snapshotPoints('r-a', snapshotOf(lines), 1).filter((p) => p.groupBy === 'name')
    assert.equal(new Set(names.map((p) => p.key)).size, names.length, 'keys are distinct')
    assert.equal(names.find((p) => p.key === 'others')?.count, 2 + 3)
  })
})
