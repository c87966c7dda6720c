import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { CoreError } from '../core/errors.ts'
import { tableOutcome } from '../core/collect/node-outcome.ts'
import { parseClientList, parseClientListTable } from '../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../core/topology/topology.ts'
import { summarizeSnapshot } from './summarize-snapshot.ts'

interface Line {
  ip: string
  idle?: number
  flags?: string
  sub?: number
  ssub?: number
  omem?: number
}

function clientList(lines: Line[]): string {
  return lines
    .map(
      (l, i) =>
        `id=${i + 1} addr=${l.ip}:${1000 + i} fd=8 name= age=100 idle=${l.idle ?? 5} ` +
        `flags=${l.flags ?? 'N'} db=0 sub=${l.sub ?? 0} psub=0 ssub=${l.ssub ?? 0} multi=-1 ` +
        `qbuf=0 qbuf-free=0 obl=0 oll=0 omem=${l.omem ?? 0} events=r cmd=ping`
    )
    .join('\n')
}

function node(nodeId: string, role: RedisNode['role']): RedisNode {
  return { nodeId, address: { kind: 'tcp', host: '127.0.0.1', port: 7000 }, role, shard: 0 }
}

const master = node('r-x-db-0#7000', 'master')
const replica = node('r-x-db-0-replica-0#7001', 'replica')
const down = node('r-x-db-1#7002', 'master')

const masterLines = clientList([
  { ip: '10.0.0.1', idle: 0 },
  { ip: '10.0.0.1', idle: 60, flags: 'b', omem: 100 },
  { ip: '10.0.0.2', idle: 59, flags: 'P', sub: 1 },
  // RESP3 subscriber: no P flag, only the counter says so.
  { ip: '10.0.0.3', idle: 0, ssub: 2, omem: 20 },
])
const replicaLines = clientList([{ ip: '10.0.0.2', idle: 3600 }])

const snapshot: SessionsSnapshot = {
  timestamp: 0,
  topology: { kind: 'cluster', nodes: [master, replica, down] },
  outcomes: [
    {
      ok: true,
      node: master,
      tookMs: 1,
      sessions: parseClientList(masterLines, 'm'),
    },
    {
      ok: true,
      node: replica,
      tookMs: 1,
      sessions: parseClientList(replicaLines, 'r'),
    },
    { ok: false, node: down, tookMs: 1, error: new CoreError('ConnectFailed', 'refused') },
  ],
}

describe('summarizeSnapshot', () => {
  it('counts sessions, active, idle ≥ threshold, blocked, pub/sub and omem per node', () => {
    const summary = summarizeSnapshot(snapshot, { idleThresholdSeconds: 60 })
    assert.deepEqual(summary.nodes, [
      {
        nodeId: master.nodeId,
        role: 'master',
        counts: { sessions: 4, active: 2, idle: 1, blocked: 1, pubsub: 2, outputBufferBytes: 120 },
      },
      {
        nodeId: replica.nodeId,
        role: 'replica',
        counts: { sessions: 1, active: 0, idle: 1, blocked: 0, pubsub: 0, outputBufferBytes: 0 },
      },
      { nodeId: down.nodeId, role: 'master', counts: undefined },
    ])
  })

  it('sums sources over the nodes, by count then address', () => {
    const summary = summarizeSnapshot(snapshot, { idleThresholdSeconds: 60 })
    assert.deepEqual(summary.sources, [
      { source: '10.0.0.1', count: 2 },
      { source: '10.0.0.2', count: 2 },
      { source: '10.0.0.3', count: 1 },
    ])
  })

  it('keeps the top N sources and sums the rest as others', () => {
    const summary = summarizeSnapshot(snapshot, { idleThresholdSeconds: 60, topSources: 1 })
    assert.deepEqual(summary.sources, [
      { source: '10.0.0.1', count: 2 },
      { source: 'others', count: 3 },
    ])
  })

  it('reads collected outcomes from their reply table with the same result', () => {
    const fromTables: SessionsSnapshot = {
      ...snapshot,
      outcomes: snapshot.outcomes.map((outcome) => {
        if (!outcome.ok) return outcome
        const text = outcome.node === master ? masterLines : replicaLines
        return tableOutcome(outcome.node, parseClientListTable(text, 'n'), 1)
      }),
    }
    const options = { idleThresholdSeconds: 60, topSources: 2 }
    assert.deepEqual(summarizeSnapshot(fromTables, options), summarizeSnapshot(snapshot, options))
    assert.equal(summarizeSnapshot(fromTables, options).nodes[0]?.counts?.pubsub, 2)
  })
})
