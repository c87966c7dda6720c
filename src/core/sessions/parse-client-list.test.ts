import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { ClientSession } from './client-session.ts'
import { clientOfAddr, parseClientList } from './parse-client-list.ts'

const FIXTURES = new URL('./__fixtures__/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')
const parse = (name: string) => parseClientList(fixture(name), `${name}:6379`)

type Optional = keyof ClientSession & (typeof OPTIONAL)[number]
const OPTIONAL = [
  'laddr',
  'ssub',
  'watch',
  'argvMem',
  'multiMem',
  'rbs',
  'rbp',
  'totMem',
  'user',
  'redir',
  'resp',
  'libName',
  'libVer',
  'ioThread',
  'totNetIn',
  'totNetOut',
  'totCmds',
  'capa',
  'extra',
] as const
const V6_0: Optional[] = ['argvMem', 'totMem', 'user']
const V6_2: Optional[] = [...V6_0, 'laddr', 'redir']
const V7_0: Optional[] = [...V6_2, 'ssub', 'multiMem', 'rbs', 'rbp', 'resp']
const V7_2: Optional[] = [...V7_0, 'libName', 'libVer']
const V7_4: Optional[] = [...V7_2, 'watch']
const NET: Optional[] = ['totNetIn', 'totNetOut', 'totCmds']
/** Optional fields every line of a fixture has; all others must stay `undefined`. */
const PRESENT: Record<string, Optional[]> = {
  'alibaba-proxy.txt': [],
  'redis-5.0.txt': [],
  'redis-6.0.txt': V6_0,
  'redis-6.2.txt': V6_2,
  'redis-7.0.txt': V7_0,
  'redis-7.0-replica.txt': V7_0,
  'redis-7.2.txt': V7_2,
  'redis-7.4.txt': V7_4,
  'redis-8.0.txt': [...V7_4, 'ioThread'],
  'redis-8.2.txt': [...V7_4, 'ioThread', ...NET],
  'redis-8.x-extra-fields.txt': [...V7_4, 'ioThread', ...NET, 'extra'],
  'valkey-8.0.txt': [...V7_4, ...NET],
  'valkey-8.1.txt': [...V7_4, ...NET, 'capa'],
}

/** Every key, in the order of the object literal: one hidden class for all sessions. */
const SHAPE = Object.keys(blank())

void describe('parseClientList on the fixtures', () => {
  const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.txt'))

  void it('has an expectation for every fixture file', () => {
    assert.deepEqual(files.sort(), Object.keys(PRESENT).sort())
  })

  for (const file of files) {
    void it(`parses every line of ${file} with the fields of its version`, () => {
      const text = fixture(file)
      const sessions = parse(file)
      assert.equal(sessions.length, text.split('\n').filter((line) => line !== '').length)
      const present = new Set(PRESENT[file])
      for (const session of sessions) {
        assert.deepEqual(Object.keys(session), SHAPE, 'fixed shape')
        for (const field of OPTIONAL) {
          assert.equal(
            session[field] !== undefined,
            present.has(field),
            `${file} id=${session.id} ${field}`
          )
        }
        for (const [key, value] of Object.entries(session)) {
          if (typeof value === 'number') assert.ok(Number.isFinite(value), `${key} = ${value}`)
        }
        assert.ok(session.addr.length > 0)
        assert.equal(session.client, clientOfAddr(session.addr))
        assert.ok(session.cmd.length > 0)
      }
    })
  }
})

void describe('parseClientList, captured Redis 7.0.15', () => {
  const sessions = parse('redis-7.0.txt')
  const one = (predicate: (s: ClientSession) => boolean) => {
    const found = sessions.filter(predicate)
    assert.equal(found.length, 1)
    return found[0] as ClientSession
  }

  void it('keeps a unix socket path with a space in addr, laddr and client', () => {
    const unix = one((s) => s.flags === 'U')
    assert.equal(unix.addr, '/tmp/redis sessions-fixture/redis.sock:0')
    assert.equal(unix.laddr, '/tmp/redis sessions-fixture/redis.sock:0')
    assert.equal(unix.client, '/tmp/redis sessions-fixture/redis.sock')
    assert.equal(unix.name, 'a=b')
    assert.equal(unix.user, 'default')
  })

  void it('reads IPv6, the lister, MULTI, blocked, db 3, RESP3 and no-evict connections', () => {
    const v6 = one((s) => s.name === 'over-ipv6')
    assert.match(v6.addr, /^\[::1\]:\d+$/)
    assert.equal(v6.client, '::1')
    assert.equal(one((s) => s.cmd === 'client|list').flags, 'N')
    const multi = one((s) => s.flags === 'x')
    assert.deepEqual([multi.name, multi.multi, multi.cmd], ['in-multi', 2, 'get'])
    assert.ok((multi.multiMem ?? 0) > 0)
    assert.deepEqual(
      [one((s) => s.flags === 'b').cmd, one((s) => s.db === 3).cmd],
      ['blpop', 'set']
    )
    assert.equal(one((s) => s.resp === 3).name, 'resp3')
    assert.equal(one((s) => s.flags === 'e').name, 'app-web-1')
    assert.equal(one((s) => s.flags === 'O').cmd, 'monitor')
  })

  void it('reads pub/sub counts, the tracking redirect and the replication links', () => {
    const listener = one((s) => s.name === 'listener')
    assert.deepEqual([listener.flags, listener.sub, listener.psub, listener.ssub], ['P', 2, 1, 0])
    assert.equal(one((s) => s.name === 'sharded').ssub, 1)
    assert.equal(one((s) => s.flags === 't').redir, listener.id)
    assert.equal(one((s) => s.flags === 'S').cmd, 'replconf')
    const master = parse('redis-7.0-replica.txt').find((s) => s.flags === 'M')
    assert.equal(master?.user, '(superuser)')
    assert.ok(sessions.filter((s) => s.name === '').length >= 3, 'empty names')
    assert.ok(sessions.every((s) => s.multi === -1 || s.flags === 'x'))
  })
})

void describe('parseClientList, documented formats', () => {
  void it('reads a 5.0 line whose peer address failed (?:0) with empty events', () => {
    const failed = parse('redis-5.0.txt')[7]
    assert.deepEqual(failed, {
      ...blank(),
      id: 11,
      addr: '?:0',
      client: '?',
      fd: 15,
      flags: 'N',
      multi: -1,
      cmd: 'NULL',
    })
  })

  void it('reads a 6.2 link-local IPv6 line with zone, tracking redirect and user', () => {
    assert.deepEqual(parse('redis-6.2.txt')[1], {
      ...blank(),
      id: 7,
      addr: '[fe80::1%eth0]:52770',
      client: 'fe80::1%eth0',
      laddr: '[fe80::2%eth0]:6379',
      fd: 9,
      name: 'tracker',
      age: 60,
      idle: 2,
      flags: 't',
      multi: -1,
      totMem: 20496,
      argvMem: 0,
      events: 'r',
      cmd: 'get',
      user: 'default',
      redir: 17,
    })
  })

  void it('reads an Alibaba proxy line that prints ten fields, in its own order', () => {
    assert.deepEqual(parse('alibaba-proxy.txt')[1], {
      ...blank(),
      id: 2,
      age: 120,
      idle: 118,
      addr: '100.104.12.8:40022',
      client: '100.104.12.8',
      fd: 41,
      name: 'shop-web',
      multi: -1,
      cmd: 'get',
    })
  })

  void it('reads user names with =, client|subcommands, watch, lib-name, capa and counters', () => {
    assert.equal(parse('redis-6.0.txt')[2]?.user, 'team=a')
    assert.equal(parse('redis-7.2.txt')[3]?.cmd, 'config|get')
    assert.deepEqual(
      parse('redis-7.2.txt').map((s) => s.libName),
      ['', 'redis-py', 'jedis', 'ioredis']
    )
    const watching = parse('redis-7.4.txt')[1]
    assert.deepEqual([watching?.flags, watching?.watch, watching?.multi], ['xd', 2, 2])
    assert.deepEqual(
      parse('valkey-8.1.txt').map((s) => s.capa),
      ['', 'r']
    )
    const big = parse('redis-8.2.txt')[1]
    assert.equal(big?.totNetIn, Number('9007199254740993'))
    assert.equal(big?.totNetOut, Number('18446744073709551615'))
    assert.deepEqual(parse('redis-8.x-extra-fields.txt')[0]?.extra, {
      'omem-shared': '0',
      'omem-unshared': '0',
      'read-events': '5',
      'avg-pipeline-len-sum': '4',
      'avg-pipeline-len-cnt': '4',
    })
  })
})

/** The defaults of a line that printed only `id=0` (written out, not taken from the parser). */
function blank(): ClientSession {
  return {
    id: 0,
    addr: '',
    client: '',
    laddr: undefined,
    fd: 0,
    name: '',
    age: 0,
    idle: 0,
    flags: '',
    db: 0,
    sub: 0,
    psub: 0,
    ssub: undefined,
    multi: -1,
    watch: undefined,
    qbuf: 0,
    qbufFree: 0,
    argvMem: undefined,
    multiMem: undefined,
    rbs: undefined,
    rbp: undefined,
    obl: 0,
    oll: 0,
    omem: 0,
    totMem: undefined,
    events: '',
    cmd: '',
    user: undefined,
    redir: undefined,
    resp: undefined,
    libName: undefined,
    libVer: undefined,
    ioThread: undefined,
    totNetIn: undefined,
    totNetOut: undefined,
    totCmds: undefined,
    capa: undefined,
    extra: undefined,
  }
}
