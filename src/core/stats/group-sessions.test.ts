import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CoreError } from '../errors.ts'
import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import { parseClientList } from '../sessions/parse-client-list.ts'
import type { RedisNode } from '../topology/topology.ts'
import { groupSessions } from './group-sessions.ts'

function line(id: number, addr: string, name: string, idle: number): string {
  return `id=${id} addr=${addr} fd=8 name=${name} age=10 idle=${idle} flags=N db=0 sub=0 psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=ping`
}
function node(nodeId: string, port: number): RedisNode {
  return { nodeId, address: { kind: 'tcp', host: '127.0.0.1', port }, role: 'master', shard: 0 }
}
const a = node('i-db-0#7000', 7000)
const b = node('i-db-1#7001', 7001)
const snapshot: SessionsSnapshot = {
  timestamp: 1,
  topology: { kind: 'cluster', nodes: [a, b] },
  outcomes: [
    {
      ok: true,
      node: a,
      tookMs: 1,
      sessions: parseClientList(
        [
          line(5, '10.0.0.2:1', 'x', 0),
          line(6, '10.0.0.1:2', 'y', 3),
          line(7, '10.0.0.1:3', 'x', 0),
        ].join('\n'),
        'a'
      ),
    },
    { ok: true, node: b, tookMs: 1, sessions: parseClientList(line(5, '10.0.0.2:4', 'x', 9), 'b') },
    {
      ok: false,
      node: node('i-db-2#7002', 7002),
      tookMs: 1,
      error: new CoreError('ConnectFailed', 'down', '127.0.0.1:7002'),
    },
  ],
}

describe('groupSessions', () => {
  it('groups by source ip with total and active counts, count desc then key', () => {
    assert.deepEqual(groupSessions(snapshot, 'ip'), [
      { key: '10.0.0.1', count: 2, activeCount: 1, ids: [6, 7] },
      { key: '10.0.0.2', count: 2, activeCount: 1, ids: [5, 5] },
    ])
  })
  it('groups by node and by name; failed nodes contribute nothing', () => {
    assert.deepEqual(
      groupSessions(snapshot, 'node').map((g) => [g.key, g.count]),
      [
        ['i-db-0#7000', 3],
        ['i-db-1#7001', 1],
      ]
    )
    assert.deepEqual(
      groupSessions(snapshot, 'name').map((g) => [g.key, g.count, g.activeCount]),
      [
        ['x', 3, 2],
        ['y', 1, 0],
      ]
    )
  })
})
