import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { tableOutcome } from '../core/collect/node-outcome.ts'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { CoreError, TopologyDiscoveryError } from '../core/errors.ts'
import { parseClientList, parseClientListTable } from '../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../core/topology/topology.ts'
import {
  isCompleteStatus,
  latestStatus,
  statusOfError,
  statusOfSnapshot,
} from './collection-status.ts'

function clientList(idles: number[]): string {
  return idles
    .map(
      (idle, i) =>
        `id=${i + 1} addr=10.0.0.1:${1000 + i} fd=8 name= age=100 idle=${idle} flags=N db=0 ` +
        'sub=0 psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=ping'
    )
    .join('\n')
}

function node(nodeId: string): RedisNode {
  return {
    nodeId,
    address: { kind: 'tcp', host: '127.0.0.1', port: 7000 },
    role: 'master',
    shard: 0,
  }
}

const TIME = 1_795_000_000_000
const down = (nodeId: string, message: string) => ({
  ok: false as const,
  node: node(nodeId),
  error: new CoreError('ConnectFailed', message),
  tookMs: 1,
})

void describe('statusOfSnapshot', () => {
  void it('counts sessions and active ones from tables and from session objects alike', () => {
    const snapshot: SessionsSnapshot = {
      timestamp: TIME,
      topology: { kind: 'cluster', nodes: [] },
      outcomes: [
        tableOutcome(node('r-x-db-0#7000'), parseClientListTable(clientList([0, 5, 0]), 'n'), 1),
        {
          ok: true,
          node: node('r-x-db-1#7001'),
          sessions: parseClientList(clientList([0, 9]), 'n'),
          tookMs: 1,
        },
        down('r-x-db-2#7002', 'connect ECONNREFUSED'),
      ],
    }
    const status = statusOfSnapshot(snapshot)
    assert.deepEqual(status, { time: TIME, total: 5, active: 3, nodes: 3, failedNodes: 1 })
    assert.equal(isCompleteStatus(status), false)
  })

  void it('no node answering is an error naming every node, cut to 1000 characters', () => {
    const outcomes = Array.from({ length: 50 }, (_, i) =>
      down(`r-x-db-${i}#${7000 + i}`, `127.0.0.1:${7000 + i}: connect ECONNREFUSED`)
    )
    const status = statusOfSnapshot({
      timestamp: TIME,
      topology: { kind: 'cluster', nodes: [] },
      outcomes,
    })
    assert.equal(status.error?.code, 'InstanceConnectionFailed')
    assert.ok(
      status.error.message.startsWith('r-x-db-0#7000: 127.0.0.1:7000: connect ECONNREFUSED; ')
    )
    assert.equal(status.error.message.length, 1000)
    assert.ok(status.error.message.endsWith('…'))
    assert.deepEqual(
      { ...status, error: undefined },
      {
        time: TIME,
        total: 0,
        active: 0,
        nodes: 50,
        failedNodes: 50,
        error: undefined,
      }
    )
  })
})

void describe('statusOfError', () => {
  void it('keeps a core error’s message, never another error’s', () => {
    const discovery = statusOfError(
      new TopologyDiscoveryError('10.0.0.5:6379: connect\n ETIMEDOUT'),
      TIME
    )
    assert.deepEqual(discovery.error, {
      code: 'InstanceConnectionFailed',
      message: '10.0.0.5:6379: connect ETIMEDOUT',
    })
    const internal = statusOfError(new Error('SELECT * FROM instances: password=hunter2'), TIME)
    assert.deepEqual(internal.error, {
      code: 'InternalError',
      message: 'the collection failed unexpectedly',
    })
    assert.equal(isCompleteStatus(internal), false)
  })
})

void describe('latestStatus', () => {
  const at = (time: number) => ({ time, total: 0, active: 0, nodes: 1, failedNodes: 0 })
  void it('takes the newer, the first on a tie, and ignores what predates the change', () => {
    assert.deepEqual(latestStatus(0, at(5), at(7)), at(7))
    assert.deepEqual(latestStatus(0, at(7), at(5)), at(7))
    assert.equal(latestStatus(0, at(7), { ...at(7), total: 1 })?.total, 0)
    assert.deepEqual(latestStatus(6, at(5), at(7)), at(7))
    assert.equal(latestStatus(8, at(5), at(7)), undefined)
    assert.equal(latestStatus(0, undefined, undefined), undefined)
  })
})
