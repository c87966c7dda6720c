import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseEndpoint } from '../redis/node-address.ts'
import { assignNodeIds, assignProxyIds, compareNodeIds } from './assign-node-ids.ts'
import type { DiscoveredNode, DiscoveredShard } from './discovered-shard.ts'

const node = (text: string, role: 'master' | 'replica', skipReason?: string): DiscoveredNode => ({
  announced: parseEndpoint(text),
  address: parseEndpoint(text),
  role,
  ...(skipReason === undefined ? {} : { skipReason }),
})
const ids = (shards: DiscoveredShard[]) =>
  assignNodeIds('r-x', shards).map((n) => [n.nodeId, n.role, n.shard, n.skipReason])

void describe('assignNodeIds', () => {
  void it('numbers shards by lowest slot and slot-less masters after them', () => {
    const shards: DiscoveredShard[] = [
      { lowestSlot: 10923, nodes: [node('10.0.0.3:7002', 'master')] },
      { lowestSlot: undefined, nodes: [node('10.0.0.9:7009', 'master')] },
      { lowestSlot: undefined, nodes: [node('10.0.0.7:7007', 'master')] },
      { lowestSlot: 0, nodes: [node('10.0.0.1:7000', 'master')] },
      { lowestSlot: 5461, nodes: [node('10.0.0.2:7001', 'master')] },
    ]
    assert.deepEqual(ids(shards), [
      ['r-x-db-0#7000', 'master', 0, undefined],
      ['r-x-db-1#7001', 'master', 1, undefined],
      ['r-x-db-2#7002', 'master', 2, undefined],
      ['r-x-db-3#7007', 'master', 3, undefined],
      ['r-x-db-4#7009', 'master', 4, undefined],
    ])
  })

  void it('numbers replicas by address order (host numerically, then port) from 0', () => {
    const shard: DiscoveredShard = {
      lowestSlot: undefined,
      nodes: [
        node('10.0.0.10:6379', 'replica'),
        node('10.0.0.9:6380', 'replica', 'down'),
        node('10.0.0.1:6379', 'master'),
        node('10.0.0.9:6379', 'replica'),
      ],
    }
    assert.deepEqual(ids([shard]), [
      ['r-x-db-0#6379', 'master', 0, undefined],
      ['r-x-db-0-replica-0#6379', 'replica', 0, undefined],
      ['r-x-db-0-replica-1#6380', 'replica', 0, 'down'],
      ['r-x-db-0-replica-2#6379', 'replica', 0, undefined],
    ])
    assert.deepEqual(
      assignNodeIds('r-x', [shard]).map((n) => n.address),
      ['10.0.0.1:6379', '10.0.0.9:6379', '10.0.0.9:6380', '10.0.0.10:6379'].map((t) =>
        parseEndpoint(t)
      )
    )
  })

  void it('takes the NodeId port from the announced address, connects to the mapped one', () => {
    const mapped: DiscoveredNode = {
      announced: parseEndpoint('10.0.0.1:7000'),
      address: parseEndpoint('localhost:17000'),
      role: 'master',
    }
    const [only] = assignNodeIds('r-x', [{ lowestSlot: 0, nodes: [mapped] }])
    assert.equal(only?.nodeId, 'r-x-db-0#7000')
    assert.deepEqual(only?.address, parseEndpoint('localhost:17000'))
  })

  void it('gives a stale second master a replica-style NodeId and a live master the db one', () => {
    const shard: DiscoveredShard = {
      lowestSlot: 0,
      nodes: [node('10.0.0.1:7000', 'master', 'failed'), node('10.0.0.2:7000', 'master')],
    }
    assert.deepEqual(ids([shard]), [
      ['r-x-db-0#7000', 'master', 0, undefined],
      ['r-x-db-0-replica-0#7000', 'master', 0, 'failed'],
    ])
  })

  void it('sorts 12 shards naturally and uses port 0 for unix sockets', () => {
    const shards = Array.from({ length: 12 }, (_, i) => ({
      lowestSlot: i * 100,
      nodes: [node(`10.0.0.1:${7000 + i}`, 'master')],
    }))
    const nodeIds = assignNodeIds('r-x', shards).map((n) => n.nodeId)
    assert.deepEqual(nodeIds.slice(9), ['r-x-db-9#7009', 'r-x-db-10#7010', 'r-x-db-11#7011'])
    const unix = assignNodeIds('r-x', [
      { lowestSlot: undefined, nodes: [node('/tmp/r.sock', 'master')] },
    ])
    assert.equal(unix[0]?.nodeId, 'r-x-db-0#0')
  })
})

void describe('assignProxyIds', () => {
  void it('numbers proxies in listed order', () => {
    const proxies = assignProxyIds(
      'r-p',
      ['h2:6380', 'h1:6379'].map((t) => parseEndpoint(t))
    )
    assert.deepEqual(
      proxies.map((p) => [p.nodeId, p.role, p.shard]),
      [
        ['r-p-proxy-0#6380', 'proxy', 0],
        ['r-p-proxy-1#6379', 'proxy', 1],
      ]
    )
  })
})

void describe('compareNodeIds', () => {
  void it('compares digit runs as numbers', () => {
    const sorted = ['a-db-10#1', 'a-db-2-replica-0#1', 'a-db-2#1', 'a-db-1#9', 'a-db-1#10'].sort(
      compareNodeIds
    )
    assert.deepEqual(sorted, [
      'a-db-1#9',
      'a-db-1#10',
      'a-db-2#1',
      'a-db-2-replica-0#1',
      'a-db-10#1',
    ])
  })
})
