import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { loadFixture } from './__fixtures__/load-fixture.ts'
import { CLUSTER_SHARDS } from './cluster-shards.ts'

const NODE = '127.0.0.1:27104'

void describe('CLUSTER_SHARDS', () => {
  void it('sends CLUSTER SHARDS', () => {
    assert.deepEqual(CLUSTER_SHARDS.args(), ['CLUSTER', 'SHARDS'])
  })

  void it('parses a 7.0.15 reply with three shards and a slot-less master', () => {
    const shards = CLUSTER_SHARDS.parse(loadFixture('redis-7.0.15-shards-healthy'), NODE)
    assert.equal(shards.length, 4)
    assert.deepEqual(shards[0], {
      slots: [[0, 5460]],
      nodes: [
        {
          id: '2eea0977d44f1140d99e1d64b3e8a0ca80a2a59f',
          ip: '127.0.0.1',
          endpoint: '127.0.0.1',
          hostname: undefined,
          port: 27100,
          tlsPort: undefined,
          role: 'master',
          health: 'online',
        },
        {
          id: '2e09a202c6a31534233d86a9a6a1202b5d00ec47',
          ip: '127.0.0.1',
          endpoint: '127.0.0.1',
          hostname: undefined,
          port: 27104,
          tlsPort: undefined,
          role: 'replica',
          health: 'online',
        },
      ],
    })
    assert.deepEqual(shards[3]?.slots, [])
    assert.deepEqual(
      shards[3]?.nodes.map((n) => [n.port, n.role]),
      [[27106, 'master']]
    )
  })

  void it('reports health fail and hostnames', () => {
    const failed = CLUSTER_SHARDS.parse(loadFixture('redis-7.0.15-shards-fail'), NODE)
    const health = failed.flatMap((s) => s.nodes.map((n) => `${n.port}:${n.health}`))
    assert.ok(health.includes('27105:fail'))
    const named = CLUSTER_SHARDS.parse(loadFixture('redis-7.0.15-shards-hostname'), NODE)
    const b = named.flatMap((s) => s.nodes).find((n) => n.port === 27101)
    assert.equal(b?.hostname, 'node-b.example')
  })

  void it('reads tls-port and several slot ranges, numbers sent as strings', () => {
    const reply = [
      [
        'slots',
        ['0', '10', '20', '30'],
        'nodes',
        [['id', 'a', 'tls-port', 7443, 'ip', '::1', 'role', 'master']],
      ],
    ]
    const [shard] = CLUSTER_SHARDS.parse(reply, NODE)
    assert.deepEqual(shard?.slots, [
      [0, 10],
      [20, 30],
    ])
    assert.equal(shard?.nodes[0]?.tlsPort, 7443)
    assert.equal(shard?.nodes[0]?.port, undefined)
    assert.equal(shard?.nodes[0]?.health, 'online')
  })

  const malformed: Array<[string, unknown]> = [
    ['a string', 'OK'],
    ['odd field/value pairs', [['slots', []]]],
    ['a node without id', [['slots', [], 'nodes', [['port', 1, 'ip', 'x', 'role', 'master']]]]],
    ['a node without port', [['slots', [], 'nodes', [['id', 'a', 'ip', 'x', 'role', 'master']]]]],
    [
      'an unknown role',
      [['slots', [], 'nodes', [['id', 'a', 'port', 1, 'ip', 'x', 'role', 'boss']]]],
    ],
    ['an odd slot list', [['slots', [1], 'nodes', []]]],
    ['a slot out of range', [['slots', [0, 16384], 'nodes', []]]],
    ['missing nodes', [['slots', []]]],
  ]
  for (const [what, reply] of malformed) {
    void it(`throws ReplyParseError on ${what}`, () => {
      assert.throws(
        () => CLUSTER_SHARDS.parse(reply, NODE),
        (error: unknown) => {
          assert.ok(error instanceof ReplyParseError)
          assert.equal(error.node, NODE)
          assert.equal(error.command, 'CLUSTER SHARDS')
          return true
        }
      )
    })
  }
})
