import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../errors.ts'
import { clientOfAddr, parseClientList } from './parse-client-list.ts'

const NODE = '10.0.0.1:6379'
const TAIL = 'fd=8 name= age=1 idle=0 flags=N db=0 cmd=ping'
const only = (text: string) => {
  const sessions = parseClientList(text, NODE)
  assert.equal(sessions.length, 1)
  const [session] = sessions
  assert.ok(session)
  return session
}

void describe('parseClientList framing', () => {
  void it('returns no session for an empty reply', () => {
    assert.deepEqual(parseClientList('', NODE), [])
    assert.deepEqual(parseClientList('txt:', NODE), [])
  })

  void it('strips the RESP3 verbatim prefix txt:', () => {
    assert.equal(only(`txt:id=4 addr=1.2.3.4:5 ${TAIL}\n`).id, 4)
  })

  void it('tolerates one trailing space on a line', () => {
    assert.equal(only(`id=4 addr=1.2.3.4:5 ${TAIL} \n`).cmd, 'ping')
  })

  void it('tolerates \\r\\n and a last line without \\n', () => {
    const sessions = parseClientList(`id=1 addr=a:1 ${TAIL}\r\nid=2 addr=b:2 ${TAIL}`, NODE)
    assert.deepEqual(
      sessions.map((s) => [s.id, s.client, s.cmd]),
      [
        [1, 'a', 'ping'],
        [2, 'b', 'ping'],
      ]
    )
  })
})

void describe('parseClientList values', () => {
  void it('splits each token at its first =, keeps empty values', () => {
    const s = only('id=1 addr=x:1 name=a=b==c events= lib-name= lib-ver=1=2 cmd=client|list\n')
    assert.deepEqual(
      [s.name, s.events, s.libName, s.libVer, s.cmd],
      ['a=b==c', '', '', '1=2', 'client|list']
    )
  })

  void it('reads signed integers: negative proxy ids, -1 sentinels, -0 as 0', () => {
    const s = only('id=-42 addr=x:1 fd=-1 multi=-1 redir=-1 db=-0 sub=007\n')
    assert.deepEqual([s.id, s.fd, s.multi, s.redir, s.sub], [-42, -1, -1, -1, 7])
    assert.ok(Object.is(s.db, 0))
  })

  void it('reads counters beyond 2^53 as Number() does, never NaN', () => {
    // n * 10 + d accumulates rounding errors for these; Number() rounds once.
    const digits = ['36169140710318989', '1629546355018792236', '18446744073709551615']
    const s = only(`id=1 tot-net-in=${digits[0]} tot-net-out=${digits[1]} tot-cmds=${digits[2]}\n`)
    assert.deepEqual([s.totNetIn, s.totNetOut, s.totCmds], digits.map(Number))
  })

  void it('never takes a non-ASCII key for a known one, even when it packs like one', () => {
    // '\u0000\u6964' packs to the same int as 'id' if chars >= 256 were not excluded.
    const s = only('id=1 addr=x:1 \u0000\u6964=7\n')
    assert.equal(s.id, 1)
    assert.deepEqual(s.extra, { '\u0000\u6964': '7' })
  })

  void it('keeps unknown keys in extra, __proto__ included, as own data', () => {
    const s = only('id=1 addr=x:1 omem-shared=0 read-events=12 __proto__=p ünï=v x=\n')
    assert.deepEqual(Object.keys(s.extra ?? {}), [
      'omem-shared',
      'read-events',
      '__proto__',
      'ünï',
      'x',
    ])
    assert.equal(s.extra?.['__proto__'], 'p')
    assert.equal(Object.getPrototypeOf(s.extra), Object.prototype)
    assert.equal(s.extra?.['read-events'], '12')
  })

  void it('defaults the DAS fields a proxy does not print to 0 and "", and Multi to -1', () => {
    const s = only('id=9 addr=10.1.1.1:5000\n')
    assert.deepEqual(
      [s.fd, s.name, s.age, s.idle, s.flags, s.db, s.multi, s.qbufFree, s.omem, s.events, s.cmd],
      [0, '', 0, 0, '', 0, -1, 0, 0, '', '']
    )
    assert.equal(s.laddr, undefined)
  })
})

void describe('parseClientList unix socket paths with spaces', () => {
  void it('ends addr and laddr at the space before laddr= / fd=', () => {
    const s = only(`id=1 addr=/run/my dir/r.sock:0 laddr=/run/my dir/r.sock:0 ${TAIL}\n`)
    assert.deepEqual(
      [s.addr, s.laddr, s.client, s.fd],
      ['/run/my dir/r.sock:0', '/run/my dir/r.sock:0', '/run/my dir/r.sock', 8]
    )
  })

  void it('does not stop at a known key inside the path (5.0 format: addr then fd)', () => {
    const s = only(`id=1 addr=/tmp/a fd=b c.sock:0 ${TAIL}\n`)
    assert.deepEqual([s.addr, s.fd], ['/tmp/a fd=b c.sock:0', 8])
  })

  void it('does not swallow an unknown key and laddr that follow a TCP address', () => {
    const s = only(`id=1 addr=1.2.3.4:5 zone=z laddr=1.2.3.9:6379 ${TAIL}\n`)
    assert.deepEqual([s.addr, s.laddr, s.extra], ['1.2.3.4:5', '1.2.3.9:6379', { zone: 'z' }])
  })
})

void describe('parseClientList errors', () => {
  const rejects = (text: string, line: number, excerpt: string, reason: RegExp) => {
    assert.throws(
      () => parseClientList(text, NODE),
      (error: unknown) => {
        assert.ok(error instanceof ReplyParseError)
        assert.deepEqual(
          [error.code, error.node, error.command, error.line, error.excerpt],
          ['ReplyParseError', NODE, 'CLIENT LIST', line, excerpt]
        )
        assert.match(error.message, new RegExp(`${NODE}, line ${line}: `))
        assert.match(error.message, reason)
        return true
      }
    )
  }
  const good = `id=1 addr=x:1 ${TAIL}`

  void it('rejects a line that does not start with id=', () => {
    rejects(`${good}\nname=x id=2\n`, 2, 'name=x id=2', /does not start with "id="/)
    rejects(`${good}\n\n${good}\n`, 2, '', /does not start with "id="/)
    rejects('\n', 1, '', /does not start with "id="/)
    rejects('ERR unknown command\n', 1, 'ERR unknown command', /does not start/)
  })

  void it('rejects a token without =, a double space and a key without name', () => {
    rejects(`${good}\n${good}\nid=3 orphan addr=x:1\n`, 3, 'id=3 orphan addr=x:1', /without "="/)
    rejects('id=1  addr=x:1\n', 1, 'id=1  addr=x:1', /without "=" at column 6/)
    rejects('id=1 =x\n', 1, 'id=1 =x', /without "="/)
    rejects('id=1 addr=x:1 cmd\n', 1, 'id=1 addr=x:1 cmd', /without "="/)
  })

  void it('rejects a numeric field that is not a decimal integer', () => {
    rejects('id=1 fd=abc\n', 1, 'id=1 fd=abc', /"fd=abc" is not an integer/)
    for (const bad of ['age=', 'db=1x', 'sub=-', 'omem=1.5', 'idle=+1', 'oll=1e3', 'qbuf=0x10']) {
      rejects(`id=1 ${bad} cmd=get\n`, 1, `id=1 ${bad} cmd=get`, /is not an integer/)
    }
    rejects('id=\n', 1, 'id=', /"id=" is not an integer/)
    rejects(`id=${'9'.repeat(21)}\n`, 1, `id=${'9'.repeat(21)}`, /is not an integer/)
  })

  void it('keeps at most 200 characters of the bad line', () => {
    const long = `x=${'a'.repeat(300)}`
    rejects(`${long}\n`, 1, long.slice(0, 200), /does not start/)
  })
})

void describe('clientOfAddr', () => {
  void it('drops the port of every documented address form', () => {
    const cases: [string, string][] = [
      ['10.0.0.5:53458', '10.0.0.5'],
      ['[::1]:6379', '::1'],
      ['[fe80::1%eth0]:6379', 'fe80::1%eth0'],
      ['/var/run/redis.sock:0', '/var/run/redis.sock'],
      ['/tmp/a:b/redis sock:0', '/tmp/a:b/redis sock'],
      ['?:0', '?'],
      ['redis.internal', 'redis.internal'],
      ['', ''],
    ]
    assert.deepEqual(
      cases.map(([addr]) => clientOfAddr(addr)),
      cases.map(([, client]) => client)
    )
  })
})
