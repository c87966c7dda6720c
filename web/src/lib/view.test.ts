// The grid's data rules in Node: filters, sort, protection, CSV export.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Session } from '../api/types.ts'
import { toCsv } from './export.ts'
import { compileFilters, hasConsoleOnlyFilter, NO_FILTERS, serverFilterParams } from './filters.ts'
import { protectionOf, viewOf } from './view.ts'

function session(fields: Partial<Session>): Session {
  return {
    Sub: 0,
    Psub: 0,
    Idle: 0,
    Flags: 'N',
    Oll: 0,
    QbufFree: 0,
    Multi: -1,
    Omem: 0,
    Qbuf: 0,
    Name: '',
    Obl: 0,
    Client: '10.0.0.1',
    Cmd: 'ping',
    Id: 1,
    Addr: '10.0.0.1:5000',
    NodeId: 'r-x-db-0#6379',
    Age: '10',
    Db: 0,
    Events: 'r',
    Fd: 8,
    ClientDesc: '',
    ...fields,
  }
}

const SESSIONS = [
  session({ Id: 1, Name: 'web-1', Idle: 5, Age: '100', User: 'app', Db: 1 }),
  session({
    Id: 2,
    Name: 'web-2',
    Idle: 700,
    Age: '9',
    Client: '10.1.0.7',
    Flags: 'b',
    Cmd: 'blpop',
  }),
  session({ Id: 3, Name: '', Idle: 0, Age: '20', LibName: 'redis-py' }),
  session({ Id: 4, Name: 'replica', Flags: 'S', NodeId: 'r-x-db-0-replica-0#6380' }),
]

const ids = (rows: number[]) => rows.map((index) => SESSIONS[index]?.Id)

describe('web view rules', () => {
  it('filters as the server does, plus (none), node and keyword', () => {
    const keep = (filters: Partial<typeof NO_FILTERS>) =>
      ids(viewOf(SESSIONS, compileFilters({ ...NO_FILTERS, ...filters }).matches, undefined))
    assert.deepEqual(keep({ name: 'web-*' }), [1, 2])
    assert.deepEqual(keep({ name: '(none)' }), [3])
    assert.deepEqual(keep({ user: '(none)' }), [2, 3, 4])
    assert.deepEqual(keep({ minIdle: '600' }), [2])
    assert.deepEqual(keep({ flags: 'b', cmd: 'BLPOP' }), [2])
    assert.deepEqual(keep({ clientIp: '10.1.0.0/16' }), [2])
    assert.deepEqual(keep({ db: '1' }), [1])
    assert.deepEqual(keep({ node: 'r-x-db-0-replica-0#6380' }), [4])
    assert.deepEqual(keep({ keyword: 'REDIS-PY' }), [3])
  })

  it('reports unusable inputs and ignores them', () => {
    const compiled = compileFilters({
      ...NO_FILTERS,
      clientIp: '10.0.0.300',
      db: '-1',
      flags: 'P!',
    })
    assert.deepEqual(Object.keys(compiled.errors).sort(), ['clientIp', 'db', 'flags'])
    assert.equal(ids(viewOf(SESSIONS, compiled.matches, undefined)).length, 4)
  })

  it('sends only the server-side filters to KillRedisSessions', () => {
    const filters = { ...NO_FILTERS, name: 'web-*', minIdle: '60', keyword: 'x', user: '(none)' }
    assert.deepEqual(serverFilterParams(filters), { Name: 'web-*', MinIdle: '60' })
    assert.equal(hasConsoleOnlyFilter(filters), true)
    assert.equal(hasConsoleOnlyFilter({ ...NO_FILTERS, name: 'web-*' }), false)
  })

  it('sorts numbers as numbers (Age is a string on the wire), stable, both ways', () => {
    const all = () => true
    assert.deepEqual(ids(viewOf(SESSIONS, all, { key: 'Age', descending: false })), [2, 4, 3, 1])
    assert.deepEqual(ids(viewOf(SESSIONS, all, { key: 'Age', descending: true })), [1, 3, 4, 2])
    assert.deepEqual(ids(viewOf(SESSIONS, all, { key: 'Name', descending: false })), [3, 4, 1, 2])
    // Absent values (no LibName) go last whichever the direction.
    assert.deepEqual(ids(viewOf(SESSIONS, all, { key: 'LibName', descending: true })), [3, 1, 2, 4])
  })

  it('protects replication links, our own and Sentinel connections', () => {
    assert.match(protectionOf(session({ Flags: 'S' })) ?? '', /replica/)
    assert.match(protectionOf(session({ Flags: 'M' })) ?? '', /master/)
    assert.match(protectionOf(session({ Name: 'redis-sessions' })) ?? '', /redis-sessions/)
    assert.match(protectionOf(session({ Name: 'sentinel-1a2b3c4d-cmd' })) ?? '', /Sentinel/)
    assert.equal(protectionOf(session({ Flags: 'N', Name: 'web' })), undefined)
  })

  it('exports CSV with formula-looking text defused and quoting per RFC 4180', () => {
    const rows = [session({ Id: 9, Name: '=HYPERLINK("x")', ClientDesc: 'a, "b"', Multi: -1 })]
    const csv = toCsv(rows, [0], ['Id', 'Name', 'ClientDesc', 'Multi'])
    assert.equal(csv, 'Id,Name,ClientDesc,Multi\r\n9,"\'=HYPERLINK(""x"")","a, ""b""",-1\r\n')
  })
})
