import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { loadFixture } from './__fixtures__/load-fixture.ts'
import { CLUSTER_NODES } from './cluster-nodes.ts'

const NODE = '127.0.0.1:27100'

void describe('CLUSTER_NODES', () => {
  void it('sends CLUSTER NODES', () => {
    assert.deepEqual(CLUSTER_NODES.args(), ['CLUSTER', 'NODES'])
  })

  void it('parses a 7.0.15 reply: addresses, flags as sets, masters, slots', () => {
    const entries = CLUSTER_NODES.parse(loadFixture('redis-7.0.15-nodes-healthy'), NODE)
    assert.equal(entries.length, 7)
    const first = entries[0]
    assert.deepEqual(first, {
      id: '2eea0977d44f1140d99e1d64b3e8a0ca80a2a59f',
      ip: '127.0.0.1',
      port: 27100,
      busPort: 37100,
      hostname: undefined,
      flags: new Set(['master']),
      masterId: undefined,
      linkState: 'connected',
      slots: [[0, 5460]],
    })
    const me = entries.find((e) => e.flags.has('myself'))
    assert.equal(me?.port, 27104)
    assert.ok(me?.flags.has('slave'))
    assert.equal(me?.masterId, '2eea0977d44f1140d99e1d64b3e8a0ca80a2a59f')
    assert.deepEqual(entries.find((e) => e.port === 27106)?.slots, [])
  })

  void it('keeps handshake and fail flags', () => {
    const handshake = CLUSTER_NODES.parse(loadFixture('redis-7.0.15-nodes-handshake'), NODE)
    assert.deepEqual([...(handshake.find((e) => e.port === 27999)?.flags ?? [])], ['handshake'])
    const failed = CLUSTER_NODES.parse(loadFixture('redis-7.0.15-nodes-fail'), NODE)
    const dead = failed.find((e) => e.port === 27105)
    assert.deepEqual(dead?.flags, new Set(['slave', 'fail']))
    assert.equal(dead?.linkState, 'disconnected')
  })

  void it('reads the hostname after the comma (7.0+)', () => {
    const entries = CLUSTER_NODES.parse(loadFixture('redis-7.0.15-nodes-hostname'), NODE)
    const named = entries.find((e) => e.port === 27101)
    assert.equal(named?.hostname, 'node-b.example')
    assert.equal(named?.ip, '127.0.0.1')
  })

  void it('parses IPv6, pre-4.0 addresses, noaddr, single slots and migrating slots', () => {
    const text = [
      'a1 ::1:7000@17000 myself,master - 0 0 1 connected 0-10 11 [12->-b2] [13-<-c3] 14-20',
      'b2 10.0.0.2:7001 slave a1 0 0 1 connected',
      'c3 :0@0 master,fail?,noaddr - 0 0 0 disconnected',
      'd4 :7003@17003 myself,master - 0 0 0 connected',
      '',
    ].join('\n')
    const [a1, b2, c3, d4] = CLUSTER_NODES.parse(text, NODE)
    assert.equal(a1?.ip, '::1')
    assert.equal(a1?.port, 7000)
    assert.deepEqual(a1?.slots, [
      [0, 10],
      [11, 11],
      [14, 20],
    ])
    assert.equal(b2?.busPort, undefined)
    assert.equal(b2?.masterId, 'a1')
    assert.ok(c3?.flags.has('noaddr') && c3.flags.has('fail?') && !c3.flags.has('fail'))
    assert.equal(c3?.port, 0)
    assert.equal(d4?.ip, '')
  })

  const malformed = [
    'a1 127.0.0.1:7000@17000 master -',
    'a1 127.0.0.1@17000 master - 0 0 1 connected',
    'a1 127.0.0.1:port@17000 master - 0 0 1 connected',
    'a1 127.0.0.1:7000@17000 master - 0 0 1 connected 10-5',
    'a1 127.0.0.1:7000@17000 master - 0 0 1 connected 0-16384',
  ]
  for (const line of malformed) {
    void it(`throws ReplyParseError with the line number on: ${line}`, () => {
      assert.throws(
        () => CLUSTER_NODES.parse(`\n${line}\n`, NODE),
        (error: unknown) => {
          assert.ok(error instanceof ReplyParseError)
          assert.equal(error.line, 2)
          assert.equal(error.excerpt, line)
          return true
        }
      )
    })
  }

  void it('throws ReplyParseError on a non-text reply', () => {
    assert.throws(() => CLUSTER_NODES.parse(['x'], NODE), ReplyParseError)
  })
})
