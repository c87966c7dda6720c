import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import { CollectTimeoutError } from '../../../core/errors.ts'
import { parseClientList } from '../../../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../../../core/topology/topology.ts'
import { presentAllSessionsJson } from './present.ts'

const master: RedisNode = {
  nodeId: 'r-x-db-0#6379',
  address: { kind: 'tcp', host: '127.0.0.1', port: 6379 },
  role: 'master',
  shard: 0,
}
const replica: RedisNode = {
  nodeId: 'r-x-db-0-replica-0#6380',
  address: { kind: 'tcp', host: '::1', port: 6380 },
  role: 'replica',
  shard: 0,
}
const lines =
  'id=9080586 addr=172.16.1.2:53458 laddr=127.0.0.1:6379 fd=73 name=test age=12 idle=8 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22272 events=r cmd=ping user=default redir=-1 resp=2 lib-name=jedis lib-ver=5 x-new=1\n' +
  'id=7 addr=172.16.1.2:53460 fd=74 name= age=1 idle=0 flags=P db=2 sub=1 psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=subscribe\n'
const snapshot: SessionsSnapshot = {
  timestamp: 1660100753556,
  topology: { kind: 'standalone', nodes: [master, replica] },
  outcomes: [
    { ok: true, node: master, tookMs: 1.234, sessions: parseClientList(lines, 'm').reverse() }, // sorted by id, as collectSessions leaves them,
    {
      ok: false,
      node: replica,
      tookMs: 3000,
      error: new CollectTimeoutError('[::1]:6380: no answer', '[::1]:6380'),
    },
  ],
}

interface DasData {
  Timestamp: number
  Total: number
  Sessions: Record<string, unknown>[]
  SourceStats: unknown[]
  Nodes: unknown[]
  Complete: boolean
}

describe('presentAllSessionsJson', () => {
  // Test-only view of the JSON; the assertions below check every field.
  const data = JSON.parse(
    presentAllSessionsJson(snapshot, (client) =>
      client === '172.16.1.2' ? 'prod ip' : ''
    ).toString()
  ) as DasData

  it('writes the 21 DAS fields with DAS types, then the extensions the server reported', () => {
    const sessions = data.Sessions
    assert.deepEqual(sessions[1], {
      Sub: 0, Psub: 0, Idle: 8, Flags: 'N', Oll: 0, QbufFree: 0, Multi: -1, Omem: 0, Qbuf: 0,
      Name: 'test', Obl: 0, Client: '172.16.1.2', Cmd: 'ping', Id: 9080586, Addr: '172.16.1.2:53458',
      NodeId: 'r-x-db-0#6379', Age: '12', Db: 0, Events: 'r', Fd: 73, ClientDesc: 'prod ip',
      User: 'default', Laddr: '127.0.0.1:6379', Resp: 2, LibName: 'jedis', LibVer: '5', TotMem: 22272,
      ArgvMem: 0, MultiMem: 0, Rbs: 1024, Rbp: 0, Ssub: 0, Redir: -1, Extra: { 'x-new': '1' },
    }) // prettier-ignore
    // A Redis 5.0-style line has no extension fields at all.
    assert.equal(Object.keys(sessions[0] ?? {}).length, 21)
  })

  it('keeps the snapshot order (NodeId, then Id) and summarises sources with string counts', () => {
    assert.deepEqual(
      [data.Timestamp, data.Total, data.Complete, Object.keys(data)],
      [
        1660100753556,
        2,
        false,
        ['Timestamp', 'Total', 'Sessions', 'SourceStats', 'Nodes', 'Complete'],
      ]
    )
    assert.deepEqual(data.SourceStats, [
      { Key: '172.16.1.2', Count: '2', ActiveCount: '1', Ids: [7, 9080586], ClientDesc: 'prod ip' },
    ])
    assert.deepEqual(
      data.Sessions.map((s) => s.Id),
      [7, 9080586]
    )
  })

  it('reports every node with its status, and the failed one with its error', () => {
    assert.deepEqual(data.Nodes, [
      { NodeId: 'r-x-db-0#6379', Address: '127.0.0.1:6379', Role: 'master', Shard: 0, Status: 'ok', Total: 2, LatencyMs: 1.2 },
      {
        NodeId: 'r-x-db-0-replica-0#6380', Address: '[::1]:6380', Role: 'replica', Shard: 0, Status: 'error',
        Error: { Code: 'Timeout', Message: '[::1]:6380: no answer' }, Total: 0, LatencyMs: 3000,
      },
    ]) // prettier-ignore
  })
})
