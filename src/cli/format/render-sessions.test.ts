import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import { parseClientList } from '../../core/sessions/parse-client-list.ts'
import { groupSessions } from '../../core/stats/group-sessions.ts'
import type { RedisNode } from '../../core/topology/topology.ts'
import { renderGroups, renderSessionsCsv, renderSessionsTable } from './render-sessions.ts'

const line = (id: number, name: string, port: number) =>
  `id=${id} addr=10.0.0.${id}:${port} laddr=10.0.0.100:6379 fd=8 name=${name} age=3725 idle=0 ` +
  `flags=N db=0 sub=0 psub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 obl=0 oll=0 omem=0 ` +
  `tot-mem=20504 events=r cmd=get user=default\n`

function node(nodeId: string, port: number): RedisNode {
  return { nodeId, address: { kind: 'tcp', host: '10.0.0.100', port }, role: 'master', shard: 0 }
}

/** A snapshot whose nodes each list sessions with the same ids (ids are per node). */
function snapshotOf(nodeIds: readonly string[], names: readonly string[]): SessionsSnapshot {
  const outcomes = nodeIds.map((nodeId, n) => ({
    ok: true as const,
    node: node(nodeId, 6379 + n),
    tookMs: 1,
    sessions: parseClientList(names.map((name, i) => line(i + 1, name, 5000 + n)).join(''), nodeId),
  }))
  return {
    timestamp: 0,
    topology: { kind: 'cluster', nodes: outcomes.map((o) => o.node) },
    outcomes,
  }
}

const header = (text: string) => (text.split('\n')[0] ?? '').split(/\s+/)

void describe('renderSessionsTable at a terminal width', () => {
  const nodes = ['r-prod-cache-db-0#6379', 'r-prod-cache-db-0-replica-0#6380']
  const names = ['web-frontend-worker-1', 'web-frontend-worker-2']

  void it('keeps NODE and ID when there are several nodes, however narrow', () => {
    const snapshot = snapshotOf(nodes, names)
    for (const width of [80, 50, 40, 30]) {
      const text = renderSessionsTable(snapshot, width)
      assert.deepEqual(header(text).slice(0, 2), ['NODE', 'ID'], `width ${width}`)
      const rows = text.split('\n').slice(1)
      assert.deepEqual(
        rows.map((row) => row.split(/\s+/).slice(0, 2).join(' ')),
        [`${nodes[0]} 1`, `${nodes[0]} 2`, `${nodes[1]} 1`, `${nodes[1]} 2`]
      )
    }
  })

  void it('drops NODE early for one node, keeping NAME, AGE, IDLE and CMD', () => {
    const text = renderSessionsTable(snapshotOf(nodes.slice(0, 1), names), 70)
    assert.deepEqual(header(text), ['ID', 'ADDR', 'NAME', 'AGE', 'IDLE', 'CMD'])
    assert.ok(text.split('\n').every((row) => row.length <= 70))
  })

  void it('keeps every column without a width', () => {
    assert.deepEqual(header(renderSessionsTable(snapshotOf(nodes, names))), [
      'NODE', 'ID', 'ADDR', 'NAME', 'AGE', 'IDLE', 'FLAGS', 'DB', 'CMD', 'USER', 'LIB', 'OMEM',
      'TOT-MEM',
    ]) // prettier-ignore
  })
})

void describe('renderGroups at a terminal width', () => {
  void it('keeps the key, TOTAL and ACTIVE at 30 columns, cutting long keys', () => {
    const snapshot = snapshotOf(['a-db-0#1'], ['a-very-long-client-name-of-a-worker', 'short'])
    const text = renderGroups(groupSessions(snapshot, 'name'), 'name', 30)
    const rows = text.split('\n')
    assert.deepEqual(header(text), ['NAME', 'TOTAL', 'ACTIVE'])
    assert.ok(
      rows.every((row) => row.length <= 30),
      text
    )
    assert.match(rows[1] ?? '', /^a-very-long-\S*…\s+1\s+1$/)
    assert.match(rows[2] ?? '', /^short\s+1\s+1$/)
  })
})

void describe('renderSessionsCsv', () => {
  void it('puts a quote before text a spreadsheet would run as a formula, never before numbers', () => {
    const names = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain', 'a=b']
    const csv = renderSessionsCsv(snapshotOf(['a-db-0#1'], names))
    const rows = csv.trimEnd().split('\r\n').slice(1)
    const nameOf = (row: string) =>
      (/^[^,]*,[^,]*,[^,]*,[^,]*,("(?:[^"]|"")*"|[^,]*)/.exec(row) ?? [])[1]
    assert.deepEqual(rows.map(nameOf), [
      `"'=HYPERLINK(""x"")"`,
      `'+1`,
      `'-2`,
      `'@SUM(A1)`,
      'plain',
      'a=b',
    ])
    // Multi -1 is a number: written as is.
    assert.ok(rows.every((row) => row.split(',')[11] === '-1'))
  })
})
