import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { tableOutcome } from '../../../core/collect/node-outcome.ts'
import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import { parseClientListTable } from '../../../core/sessions/parse-client-list.ts'
import type { RedisNode } from '../../../core/topology/topology.ts'
import { presentAllSessionsJson } from './present.ts'

// The presenter writes collected sessions straight from the reply bytes, and filtered or
// remote ones from objects. Both must write the same bytes: the object path is the oracle.

const FIXTURES = new URL('../../../core/sessions/__fixtures__/', import.meta.url)
const node = (port: number): RedisNode => ({
  nodeId: `r-x-db-0#${port}`,
  address: { kind: 'tcp', host: '127.0.0.1', port },
  role: 'master',
  shard: 0,
})
const aliasOf = (client: string) =>
  client === '127.0.0.1' ? 'loopback "local"' : client.startsWith('10.') ? 'ten-net' : ''

/** The DAS JSON of `reply` written from the table, and from the same sessions as objects. */
function bothWays(reply: string): { fromTable: string; fromObjects: string } {
  const table = parseClientListTable(reply, 'n')
  const fromTable: SessionsSnapshot = {
    timestamp: 1,
    topology: { kind: 'standalone', nodes: [node(6379)] },
    outcomes: [tableOutcome(node(6379), table, 1)],
  }
  const fromObjects: SessionsSnapshot = {
    ...fromTable,
    outcomes: [{ ok: true, node: node(6379), tookMs: 1, sessions: table.sessions() }],
  }
  return {
    fromTable: presentAllSessionsJson(fromTable, aliasOf).toString(),
    fromObjects: presentAllSessionsJson(fromObjects, aliasOf).toString(),
  }
}

void describe('presentAllSessionsJson from reply tables', () => {
  void it('writes every captured fixture exactly as from session objects', () => {
    const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.txt'))
    assert.ok(files.length >= 10, 'fixtures of every version are there')
    for (const file of files) {
      const { fromTable, fromObjects } = bothWays(readFileSync(new URL(file, FIXTURES), 'utf8'))
      assert.equal(fromTable, fromObjects, file)
      assert.ok(JSON.parse(fromTable), file)
    }
  })

  void it('normalises numbers and keeps escapes, UTF-8, unknown keys and missing fields', () => {
    const reply = [
      'id=3 addr=10.0.0.1:5000 fd=007 name=a"b\\c age=-0 idle=0 flags=N db=00 sub=0 psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=18446744073709551615 events=r cmd=get',
      'id=4 addr=[::1]:6000 fd=1 name=café age=9007199254740993 idle=5 flags=N db=0 cmd=NULL x-new=é',
      'id=5 addr=/tmp/redis dir/redis.sock:0 laddr=/tmp/redis dir/redis.sock:0 fd=9 name= age=1 idle=1 flags=U db=0 cmd=ping',
      'id=6 addr=127.0.0.1:1 fd=2 name=tab\there',
      'id=7',
    ].join('\n')
    const { fromTable, fromObjects } = bothWays(reply + '\n')
    assert.equal(fromTable, fromObjects)
    const data = JSON.parse(fromTable) as { Sessions: Record<string, unknown>[] }
    const [first, second, third, , last] = data.Sessions
    assert.equal(first?.['Fd'], 7)
    assert.equal(first?.['Age'], '0')
    assert.equal(first?.['Name'], 'a"b\\c')
    assert.equal(first?.['Omem'], Number('18446744073709551615'))
    assert.equal(first?.['ClientDesc'], 'ten-net')
    assert.equal(second?.['Name'], 'café')
    assert.equal(second?.['Client'], '::1')
    assert.deepEqual(second?.['Extra'], { 'x-new': 'é' })
    assert.equal(third?.['Client'], '/tmp/redis dir/redis.sock')
    assert.deepEqual(
      [last?.['Id'], last?.['Addr'], last?.['Flags'], last?.['Idle'], last?.['Multi']],
      [7, '', '', 0, -1]
    )
  })

  void it('writes the same bytes both ways for arbitrary values', () => {
    const value = fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/[\s=]/g, '_'))
    const number = fc.oneof(
      fc.integer({ min: -5, max: 99999 }).map(String),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
      fc.nat(99).map((n) => `00${n}`)
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, number, value), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const reply = rows
            .map(
              ([name, n, cmd], i) =>
                `id=${i} addr=10.0.0.${i}:${i} fd=${n} name=${name} age=${n} idle=${n} flags=N db=0 cmd=${cmd} lib-name=${name}\n`
            )
            .join('')
          const { fromTable, fromObjects } = bothWays(reply)
          assert.equal(fromTable, fromObjects)
        }
      )
    )
  })
})
