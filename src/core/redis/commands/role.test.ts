import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { ROLE } from './role.ts'

const NODE = '127.0.0.1:27100'

void describe('ROLE', () => {
  void it('sends ROLE', () => {
    assert.deepEqual(ROLE.args(), ['ROLE'])
  })

  // The three replies below were captured from redis-server / redis-sentinel 7.0.15 over RESP2.
  void it('parses a master with its replicas', () => {
    assert.deepEqual(ROLE.parse(['master', 42, [['127.0.0.1', '27104', '42']]], NODE), {
      role: 'master',
      offset: 42,
      replicas: [{ host: '127.0.0.1', port: 27104, offset: 42 }],
    })
  })

  void it('parses a replica', () => {
    assert.deepEqual(ROLE.parse(['slave', '127.0.0.1', 27100, 'connected', 42], NODE), {
      role: 'replica',
      masterHost: '127.0.0.1',
      masterPort: 27100,
      state: 'connected',
      offset: 42,
    })
  })

  void it('parses a sentinel', () => {
    assert.deepEqual(ROLE.parse(['sentinel', ['mymaster']], NODE), {
      role: 'sentinel',
      masterNames: ['mymaster'],
    })
  })

  void it('throws ReplyParseError on malformed replies', () => {
    for (const reply of ['OK', [], ['boss'], ['master', 'x', []], ['slave', '127.0.0.1']]) {
      assert.throws(() => ROLE.parse(reply, NODE), ReplyParseError, JSON.stringify(reply))
    }
  })
})
