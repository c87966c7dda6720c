import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseClientList } from '../sessions/parse-client-list.ts'
import { compileIpMatcher, compileSessionFilter, InvalidFilterError } from './session-filter.ts'

const LINES = [
  'id=1 addr=10.1.2.3:5000 laddr=127.0.0.1:6379 fd=8 name=worker-1 age=10 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1 events=r cmd=get user=default redir=-1 resp=2 lib-name=redis-py lib-ver=5.0',
  'id=2 addr=[::1]:5001 laddr=[::1]:6379 fd=9 name=web age=99 idle=90 flags=P db=3 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1 events=r cmd=subscribe user=app redir=-1 resp=2 lib-name= lib-ver=',
  'id=4 addr=[::ffff:127.0.0.5]:5002 laddr=[::ffff:127.0.0.1]:6379 fd=11 name=mapped age=1 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1 events=r cmd=NULL user=default redir=-1 resp=2 lib-name= lib-ver=',
  'id=3 addr=/tmp/redis.sock:0 laddr=/tmp/redis.sock:0 fd=10 name= age=5 idle=5 flags=Ux db=0 sub=0 psub=0 ssub=0 multi=1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1 events=r cmd=set user=default redir=-1 resp=2 lib-name= lib-ver=',
].join('\n')
const sessions = parseClientList(LINES + '\n', 'test:1')

function ids(filter: Parameters<typeof compileSessionFilter>[0], nodeId = 'n-db-0#6379'): number[] {
  const keep = compileSessionFilter(filter)
  return sessions.filter((session) => keep(session, nodeId)).map((session) => session.id)
}

describe('compileSessionFilter', () => {
  it('keeps everything when no field is set', () => {
    assert.deepEqual(ids({}), [1, 2, 4, 3])
  })
  it('matches IPv4 and IPv6 CIDRs and single addresses, never unix sockets', () => {
    assert.deepEqual(ids({ clientIp: '10.0.0.0/8' }), [1])
    assert.deepEqual(ids({ clientIp: '10.1.2.3' }), [1])
    assert.deepEqual(ids({ clientIp: '::1' }), [2])
    assert.deepEqual(ids({ clientIp: '::/0' }), [2])
    assert.deepEqual(ids({ clientIp: '0.0.0.0/0' }), [1, 4])
  })
  it('matches an IPv4-mapped client as IPv4, and a mapped network as the IPv4 one', () => {
    assert.deepEqual(ids({ clientIp: '127.0.0.0/8' }), [4])
    assert.deepEqual(ids({ clientIp: '127.0.0.5' }), [4])
    assert.deepEqual(ids({ clientIp: '::ffff:127.0.0.0/104' }), [4])
    assert.deepEqual(ids({ clientIp: '::ffff:127.0.0.5' }), [4])
    assert.deepEqual(ids({ clientIp: '10.1.2.0/23' }), [1])
    assert.deepEqual(ids({ clientIp: '10.1.4.0/23' }), [])
  })
  it('refuses the inet_aton forms and host bits that aliases refuse', () => {
    for (const loose of ['1', '127.1', '2130706437', '0x7f000005', '127.0.0.01', '10.0.0.1/8']) {
      assert.throws(
        () => compileSessionFilter({ clientIp: loose }),
        (error: unknown) =>
          error instanceof InvalidFilterError &&
          error.field === 'clientIp' &&
          error.message.startsWith(`not an IP address or CIDR: ${loose} (`),
        loose
      )
    }
    assert.throws(() => compileSessionFilter({ clientIp: 'fe80::1%eth0' }), InvalidFilterError)
  })
  it('matches names by glob, and the other fields exactly', () => {
    assert.deepEqual(ids({ name: 'worker-*' }), [1])
    assert.deepEqual(ids({ name: '' }), [3])
    assert.deepEqual(ids({ user: 'app' }), [2])
    assert.deepEqual(ids({ db: 3 }), [2])
    assert.deepEqual(ids({ cmd: 'SET' }), [3])
    assert.deepEqual(ids({ cmd: 'NULL' }), [4], 'CLIENT LIST prints NULL in capitals')
    assert.deepEqual(ids({ cmd: 'null' }), [4])
    assert.deepEqual(ids({ minIdle: 5 }), [2, 3])
    assert.deepEqual(ids({ flags: 'xU' }), [3])
    assert.deepEqual(ids({ libName: 'redis-py' }), [1])
    assert.deepEqual(ids({ nodeId: 'other' }), [])
  })
  it('combines fields with AND', () => {
    assert.deepEqual(ids({ user: 'default', minIdle: 1 }), [3])
  })
  it('rejects a bad CIDR, a negative idle and a bad db with InvalidFilterError', () => {
    assert.throws(() => compileSessionFilter({ clientIp: '10.0.0.0/33' }), InvalidFilterError)
    assert.throws(() => compileSessionFilter({ clientIp: 'not-an-ip' }), InvalidFilterError)
    assert.throws(() => compileSessionFilter({ minIdle: -1 }), InvalidFilterError)
    assert.throws(() => compileSessionFilter({ db: 1.5 }), InvalidFilterError)
  })
})

describe('compileIpMatcher', () => {
  it('unwraps IPv4-mapped IPv6 clients', () => {
    assert.equal(compileIpMatcher('192.168.0.0/16')('::ffff:192.168.1.1'), true)
    assert.equal(compileIpMatcher('192.168.0.0/16')('192.169.0.1'), false)
  })
})
