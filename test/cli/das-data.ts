import assert from 'node:assert/strict'
import { identity, type ListedSession } from './live-sessions.ts'

/** `Data.Sessions[]` of GetRedisAllSession (contract §3), the fields the tests read. */
export interface DasSession {
  NodeId: string
  Id: number
  Addr: string
  Client: string
  Name: string
  Age: string
  Idle: number
  Flags: string
  Db: number
  Cmd: string
}

export interface DasSourceStat {
  Key: string
  Count: string
  ActiveCount: string
  Ids: number[]
  ClientDesc: string
}

export interface DasNode {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  Status: string
  Error?: { Code: string; Message: string }
  Total: number
}

export interface DasData {
  Timestamp: number
  Total: number
  Sessions: DasSession[]
  SourceStats: DasSourceStat[]
  Nodes: DasNode[]
  Complete: boolean
}

// DAS's 21 session fields and their JSON types (contract §3: Age is a string).
const SESSION_TYPES: Record<string, 'number' | 'string'> = {
  Sub: 'number', Psub: 'number', Idle: 'number', Flags: 'string', Oll: 'number',
  QbufFree: 'number', Multi: 'number', Omem: 'number', Qbuf: 'number', Name: 'string',
  Obl: 'number', Client: 'string', Cmd: 'string', Id: 'number', Addr: 'string',
  NodeId: 'string', Age: 'string', Db: 'number', Events: 'string', Fd: 'number',
  ClientDesc: 'string',
} // prettier-ignore

/** Parses `--json` output and checks every DAS field's JSON type; fails the test otherwise. */
export function parseDasData(stdout: string): DasData {
  const data: unknown = JSON.parse(stdout)
  assert.ok(isRecord(data), 'Data is an object')
  assert.equal(typeof data['Timestamp'], 'number')
  assert.equal(typeof data['Total'], 'number')
  assert.equal(typeof data['Complete'], 'boolean')
  const sessions = data['Sessions']
  const stats = data['SourceStats']
  const nodes = data['Nodes']
  assert.ok(Array.isArray(sessions) && Array.isArray(stats) && Array.isArray(nodes))
  for (const session of sessions) {
    assert.ok(isRecord(session))
    for (const [field, type] of Object.entries(SESSION_TYPES)) {
      assert.equal(typeof session[field], type, `Sessions[].${field} is a ${type}`)
    }
    assert.match(String(session['Age']), /^\d+$/)
  }
  for (const stat of stats) {
    assert.ok(isRecord(stat))
    for (const field of ['Key', 'Count', 'ActiveCount', 'ClientDesc']) {
      assert.equal(typeof stat[field], 'string', `SourceStats[].${field} is a string`)
    }
    assert.ok(Array.isArray(stat['Ids']) && stat['Ids'].every((id) => typeof id === 'number'))
  }
  for (const node of nodes) {
    assert.ok(isRecord(node))
    for (const field of ['NodeId', 'Address', 'Role', 'Status']) {
      assert.equal(typeof node[field], 'string', `Nodes[].${field} is a string`)
    }
    for (const field of ['Shard', 'Total', 'LatencyMs']) {
      assert.equal(typeof node[field], 'number', `Nodes[].${field} is a number`)
    }
  }
  return data as unknown as DasData
}

/** The address without its port: IPv6 without brackets, a unix socket keeps its path. */
export function clientOf(addr: string): string {
  if (addr.startsWith('[')) return addr.slice(1, addr.lastIndexOf(']'))
  return addr.slice(0, addr.lastIndexOf(':'))
}

/**
 * Checks what must hold for any `Data`: Total, Sessions sorted by node (in `Nodes` order) then
 * Id, Client derived from Addr, per-node totals, Complete, and SourceStats recomputed from the
 * sessions (count desc then key, Count/ActiveCount strings, Ids in session order).
 */
export function assertDasInvariants(data: DasData): void {
  assert.equal(data.Total, data.Sessions.length)
  const order = new Map(data.Nodes.map((node, i) => [node.NodeId, i]))
  let previous: DasSession | undefined
  for (const session of data.Sessions) {
    assert.ok(order.has(session.NodeId), `session of an unknown node ${session.NodeId}`)
    assert.equal(session.Client, clientOf(session.Addr))
    if (previous !== undefined) {
      const byNode = (order.get(previous.NodeId) ?? 0) - (order.get(session.NodeId) ?? 0)
      assert.ok(byNode < 0 || (byNode === 0 && previous.Id < session.Id), 'sorted by node, Id')
    }
    previous = session
  }
  for (const node of data.Nodes) {
    const count = data.Sessions.filter((s) => s.NodeId === node.NodeId).length
    assert.equal(node.Total, node.Status === 'ok' ? count : 0, `Total of ${node.NodeId}`)
  }
  assert.equal(
    data.Complete,
    data.Nodes.every((node) => node.Status === 'ok')
  )
  const groups = new Map<string, { count: number; active: number; ids: number[] }>()
  for (const session of data.Sessions) {
    const group = groups.get(session.Client) ?? { count: 0, active: 0, ids: [] }
    group.count++
    if (session.Idle === 0) group.active++
    group.ids.push(session.Id)
    groups.set(session.Client, group)
  }
  const expected = [...groups.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, g]) => ({
      Key,
      Count: String(g.count),
      ActiveCount: String(g.active),
      Ids: g.ids,
      ClientDesc: '',
    }))
  assert.deepEqual(data.SourceStats, expected)
}

/** The `id addr name` identities of the sessions `Data` lists for one node, sorted. */
export function identitiesOf(data: DasData, nodeId: string): string[] {
  return data.Sessions.filter((s) => s.NodeId === nodeId)
    .map((s) => identity({ id: s.Id, addr: s.Addr, name: s.Name }))
    .sort()
}

/** Sorted identities of what a node's `CLIENT LIST` showed (optionally filtered). */
export function identitiesListed(
  listed: readonly ListedSession[],
  keep: (session: ListedSession) => boolean = () => true
): string[] {
  return listed.filter(keep).map(identity).sort()
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
