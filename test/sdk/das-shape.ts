/**
 * Checks of the GetRedisAllSession `Data` object against the DAS model (contract §3, the
 * generated `GetRedisAllSessionResponseBody`): exact JSON types, sort orders, totals.
 */
import assert from 'node:assert/strict'
import { isRecord } from './sdk-callers.ts'

/** The 21 DAS session fields and their JSON types: `Age` is a string, other counters numbers. */
export const DAS_SESSION_TYPES: Readonly<Record<string, 'number' | 'string'>> = {
  Sub: 'number',
  Psub: 'number',
  Idle: 'number',
  Flags: 'string',
  Oll: 'number',
  QbufFree: 'number',
  Multi: 'number',
  Omem: 'number',
  Qbuf: 'number',
  Name: 'string',
  Obl: 'number',
  Client: 'string',
  Cmd: 'string',
  Id: 'number',
  Addr: 'string',
  NodeId: 'string',
  Age: 'string',
  Db: 'number',
  Events: 'string',
  Fd: 'number',
  ClientDesc: 'string',
}

/** Sorted `NodeId|Id|Name` of every session: what must not depend on the client used. */
export function sessionKeys(data: Record<string, unknown>): string[] {
  return sessionsOf(data)
    .map((s) => `${String(s['NodeId'])}|${String(s['Id'])}|${String(s['Name'])}`)
    .sort()
}

function sessionsOf(data: Record<string, unknown>): Record<string, unknown>[] {
  const sessions = data['Sessions']
  assert.ok(Array.isArray(sessions), 'Data.Sessions is an array')
  return sessions.map((session: unknown) => {
    assert.ok(isRecord(session), 'each session is an object')
    return session
  })
}

/** Asserts every type, order and total of contract §3; `Timestamp` within the window given. */
export function assertDasTypes(
  data: Record<string, unknown>,
  window: { notBefore: number; notAfter: number }
): void {
  const timestamp = data['Timestamp']
  assert.equal(typeof timestamp, 'number', 'Timestamp is a number (ms)')
  assert.ok(Number.isInteger(timestamp))
  assert.ok(Number(timestamp) >= window.notBefore && Number(timestamp) <= window.notAfter)
  const sessions = sessionsOf(data)
  assert.ok(sessions.length > 0, 'the instance has sessions')
  assert.equal(data['Total'], sessions.length, 'Total is the number of sessions')
  for (const session of sessions) {
    for (const [name, type] of Object.entries(DAS_SESSION_TYPES)) {
      assert.equal(typeof session[name], type, `${name} of ${JSON.stringify(session)}`)
      if (type === 'number') assert.ok(Number.isFinite(session[name]), `${name} is finite`)
    }
    assert.match(String(session['Age']), /^\d+$/, 'Age is a string of digits')
    assert.ok(!String(session['Client']).includes(']'), 'Client has no brackets')
    assert.ok(String(session['Addr']).startsWith(String(session['Client'])))
  }
  const order = sessions.map((s) => [String(s['NodeId']), Number(s['Id'])] as const)
  for (let i = 1; i < order.length; i++) {
    const [prevNode = '', prevId = 0] = order[i - 1] ?? []
    const [node = '', id = 0] = order[i] ?? []
    assert.ok(prevNode < node || (prevNode === node && prevId < id), 'sorted by NodeId, then Id')
  }
  const stats = data['SourceStats']
  assert.ok(Array.isArray(stats), 'SourceStats is an array')
  let counted = 0
  let previous: { count: number; key: string } | undefined
  for (const entry of stats) {
    assert.ok(isRecord(entry))
    assert.equal(typeof entry['Key'], 'string')
    assert.equal(typeof entry['Count'], 'string', 'Count is a string')
    assert.match(String(entry['Count']), /^\d+$/)
    const ids = entry['Ids']
    assert.ok(Array.isArray(ids) && ids.every((id) => typeof id === 'number'), 'Ids are numbers')
    assert.equal(ids.length, Number(entry['Count']))
    const current = { count: Number(entry['Count']), key: String(entry['Key']) }
    if (previous !== undefined) {
      assert.ok(
        previous.count > current.count ||
          (previous.count === current.count && previous.key < current.key),
        'SourceStats sorted by count descending, then Key'
      )
    }
    previous = current
    counted += current.count
  }
  assert.equal(counted, sessions.length, 'SourceStats counts add up to Total')
}
