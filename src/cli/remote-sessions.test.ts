import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { presentAllSessionsJson } from '../api/actions/get-redis-all-session/present.ts'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { CollectTimeoutError } from '../core/errors.ts'
import { parseClientList } from '../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../core/topology/topology.ts'
import { snapshotFromData } from './remote-sessions.ts'

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
  'id=7 addr=172.16.1.2:53460 fd=74 name= age=1 idle=0 flags=P db=2 sub=1 psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=subscribe\n' +
  'id=9080586 addr=172.16.1.2:53458 laddr=127.0.0.1:6379 fd=73 name=test age=12 idle=8 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 watch=0 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22272 events=r cmd=ping user=default redir=-1 resp=2 lib-name=jedis lib-ver=5 io-thread=0 tot-net-in=10 tot-net-out=20 tot-cmds=3 capa=r x-new=1\n'
const snapshot: SessionsSnapshot = {
  timestamp: 1660100753556,
  topology: { kind: 'standalone', nodes: [master, replica] },
  outcomes: [
    { ok: true, node: master, tookMs: 1.2, sessions: parseClientList(lines, 'm') },
    {
      ok: false,
      node: replica,
      tookMs: 3000,
      error: new CollectTimeoutError('[::1]:6380: no answer', '[::1]:6380'),
    },
  ],
}
const aliasOf = (client: string) => (client === '172.16.1.2' ? 'prod ip' : '')

void describe('snapshotFromData', () => {
  void it('reads a GetRedisAllSession answer back so that it presents identically', () => {
    const json = presentAllSessionsJson(snapshot, aliasOf).toString()
    const remote = snapshotFromData(JSON.parse(json))
    assert.equal(presentAllSessionsJson(remote.snapshot, remote.aliasOf).toString(), json)
    assert.equal(remote.aliasOf('172.16.1.2'), 'prod ip')
    const failed = remote.snapshot.outcomes[1]
    assert.ok(failed !== undefined && !failed.ok)
    assert.equal(failed.error.code, 'Timeout')
  })

  void it('refuses an answer without the documented shape, naming where', () => {
    const data: unknown = JSON.parse(presentAllSessionsJson(snapshot).toString())
    assert.ok(typeof data === 'object' && data !== null)
    const broken = { ...data, Sessions: [{ Id: 'seven' }] }
    assert.throws(() => snapshotFromData(broken), /unexpected shape at Sessions\.0\./)
    assert.throws(() => snapshotFromData('None'), /unexpected shape/)
  })
})
