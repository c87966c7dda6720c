import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import { CoreError } from '../errors.ts'
import { parseClientList } from '../sessions/parse-client-list.ts'
import type { RedisNode } from '../topology/topology.ts'
import { summarizeInsights, type InsightOptions } from './session-insights.ts'

interface Line {
  id: number
  addr: string
  name?: string
  idle?: number
  flags?: string
  omem?: number
  cmd?: string
  lib?: string
}

/** A Redis 7.2 CLIENT LIST line (lib-name since 7.2), parsed by the real parser below. */
function line(l: Line): string {
  return (
    `id=${l.id} addr=${l.addr} laddr=10.0.0.1:6379 fd=8 name=${l.name ?? ''} age=100 ` +
    `idle=${l.idle ?? 0} flags=${l.flags ?? 'N'} db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 ` +
    `qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=${l.omem === undefined ? 0 : 3} ` +
    `omem=${l.omem ?? 0} tot-mem=20000 events=r cmd=${l.cmd ?? 'ping'} user=default redir=-1 ` +
    `resp=2 lib-name=${l.lib ?? ''} lib-ver=`
  )
}

function node(nodeId: string, port: number): RedisNode {
  return { nodeId, address: { kind: 'tcp', host: '10.0.0.1', port }, role: 'master', shard: 0 }
}

function snapshotOf(...perNode: Line[][]): SessionsSnapshot {
  const nodes = perNode.map((_, i) => node(`r-a-db-${i}#${7000 + i}`, 7000 + i))
  return {
    timestamp: 1,
    topology: { kind: 'cluster', nodes },
    outcomes: perNode.map((lines, i) => ({
      ok: true as const,
      node: nodes[i] ?? node('?', 0),
      tookMs: 1,
      sessions: parseClientList(lines.map(line).join('\n') + '\n', `node ${i}`),
    })),
  }
}

const OPTIONS: InsightOptions = {
  idleThresholdSeconds: 3600,
  outputBufferThresholdBytes: 1024 * 1024,
  topSources: 10,
  listLimit: 100,
}

describe('summarizeInsights', () => {
  it('counts idle sessions at or over the threshold by source, leaving out waiting clients', () => {
    const snapshot = snapshotOf([
      { id: 1, addr: '10.0.0.5:1', idle: 3600 },
      { id: 2, addr: '10.0.0.5:2', idle: 7200 },
      { id: 3, addr: '10.0.0.6:1', idle: 3599 },
      { id: 4, addr: '10.0.0.6:2', idle: 9000, flags: 'P', cmd: 'subscribe' },
      { id: 5, addr: '10.0.0.6:3', idle: 9000, flags: 'b', cmd: 'blpop' },
      { id: 6, addr: '10.0.0.7:1', idle: 4000 },
      { id: 7, addr: '10.0.0.8:1', idle: 9000, flags: 'S', cmd: 'replconf' },
    ])
    const insights = summarizeInsights(snapshot, OPTIONS)
    assert.deepEqual(insights.idle, {
      count: 3,
      topSources: [
        { key: '10.0.0.5', count: 2 },
        { key: '10.0.0.7', count: 1 },
      ],
    })
    assert.equal(insights.total, 6, 'the replication link is not a client session')
  })

  it('lists output buffers above the threshold, largest first, with their node', () => {
    const snapshot = snapshotOf(
      [
        { id: 1, addr: '10.0.0.5:1', omem: 1024 * 1024 },
        { id: 2, addr: '10.0.0.5:2', omem: 1024 * 1024 + 1 },
      ],
      [{ id: 1, addr: '10.0.0.6:1', omem: 50_000_000, cmd: 'monitor', flags: 'O' }]
    )
    const { largeOutputBuffers } = summarizeInsights(snapshot, OPTIONS)
    assert.equal(largeOutputBuffers.count, 2)
    assert.deepEqual(
      largeOutputBuffers.sessions.map((s) => [s.nodeId, s.session.id, s.session.omem]),
      [
        ['r-a-db-1#7001', 1, 50_000_000],
        ['r-a-db-0#7000', 2, 1024 * 1024 + 1],
      ]
    )
  })

  it('caps lists but counts everything', () => {
    const lines = Array.from({ length: 5 }, (_, i) => ({
      id: i + 1,
      addr: `10.0.0.${i + 1}:1`,
      flags: 'b',
      cmd: 'blpop',
      idle: i,
    }))
    const { blocked } = summarizeInsights(snapshotOf(lines), { ...OPTIONS, listLimit: 2 })
    assert.equal(blocked.count, 5)
    assert.deepEqual(
      blocked.sessions.map((s) => s.session.id),
      [5, 4],
      'longest blocked first'
    )
  })

  it('counts unnamed sessions by source and sessions by library, "" as unknown', () => {
    const snapshot = snapshotOf(
      [
        { id: 1, addr: '10.0.0.5:1', lib: 'redis-py' },
        { id: 2, addr: '10.0.0.5:2', name: 'billing', lib: 'redis-py' },
        { id: 3, addr: '[2001:db8::1]:4000', lib: 'jedis' },
      ],
      [
        { id: 1, addr: '10.0.0.5:3' },
        { id: 2, addr: '10.0.0.9:1', name: 'api', lib: 'jedis' },
      ]
    )
    const insights = summarizeInsights(snapshot, { ...OPTIONS, topSources: 1 })
    assert.deepEqual(insights.unnamed, { count: 3, topSources: [{ key: '10.0.0.5', count: 2 }] })
    assert.deepEqual(insights.byLibrary, [
      { key: 'jedis', count: 2 },
      { key: 'redis-py', count: 2 },
      { key: 'unknown', count: 1 },
    ])
  })

  it('ignores nodes that did not answer', () => {
    const snapshot = snapshotOf([{ id: 1, addr: '10.0.0.5:1', idle: 5000 }])
    const down = node('r-a-db-1#7001', 7001)
    snapshot.outcomes.push({
      ok: false,
      node: down,
      tookMs: 1,
      error: new CoreError('ConnectFailed', 'refused', '10.0.0.1:7001'),
    })
    const insights = summarizeInsights(snapshot, OPTIONS)
    assert.equal(insights.total, 1)
    assert.equal(insights.idle.count, 1)
  })
})
