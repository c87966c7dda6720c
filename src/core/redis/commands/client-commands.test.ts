import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { AUTH } from './auth.ts'
import { CLIENT_KILL } from './client-kill.ts'
import { CLIENT_LIST } from './client-list.ts'
import { CLIENT_SETNAME } from './client-setname.ts'

const NODE = '127.0.0.1:6379'

void describe('CLIENT_LIST', () => {
  void it('sends CLIENT LIST and parses the reply, bytes or text, into a table of sessions', () => {
    assert.deepEqual(CLIENT_LIST.args(), ['CLIENT', 'LIST'])
    // A 7.0.15 line (redis.md §4).
    const line =
      'id=8 addr=127.0.0.1:44680 laddr=127.0.0.1:6391 fd=9 name= age=2 idle=2 flags=x db=0 sub=0 psub=0 ssub=0 multi=2 qbuf=0 qbuf-free=20474 argv-mem=0 multi-mem=49 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22369 events=r cmd=get user=default redir=-1 resp=2\n'
    const [session] = CLIENT_LIST.parse(Buffer.from(line), NODE).sessions()
    assert.equal(session?.id, 8)
    assert.equal(session?.client, '127.0.0.1')
    assert.equal(session?.multi, 2)
    assert.deepEqual(CLIENT_LIST.parse(line, NODE).sessions(), [session])
    assert.throws(() => CLIENT_LIST.parse(null, NODE), ReplyParseError)
  })
})

void describe('CLIENT_KILL', () => {
  void it('sends CLIENT KILL ID and returns the number killed', () => {
    assert.deepEqual(CLIENT_KILL.args(42, '10.0.0.1:5000'), [
      'CLIENT',
      'KILL',
      'ID',
      '42',
      'ADDR',
      '10.0.0.1:5000',
    ])
    assert.equal(CLIENT_KILL.parse(1, NODE), 1)
    assert.equal(CLIENT_KILL.parse(0, NODE), 0)
    assert.throws(() => CLIENT_KILL.parse('OK', NODE), ReplyParseError)
  })
})

void describe('CLIENT_SETNAME and AUTH', () => {
  void it('build their arguments and accept only OK', () => {
    assert.deepEqual(CLIENT_SETNAME.args('redis-sessions'), ['CLIENT', 'SETNAME', 'redis-sessions'])
    assert.deepEqual(AUTH.args('pw'), ['AUTH', 'pw'])
    assert.deepEqual(AUTH.args('pw', 'alice'), ['AUTH', 'alice', 'pw'])
    CLIENT_SETNAME.parse('OK', NODE)
    AUTH.parse('OK', NODE)
    assert.throws(() => CLIENT_SETNAME.parse('QUEUED', NODE), ReplyParseError)
    assert.throws(() => AUTH.parse(1, NODE), ReplyParseError)
  })
})
