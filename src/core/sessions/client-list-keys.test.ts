import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FIRST_NUMERIC, fieldAt, UNKNOWN } from './client-list-keys.ts'

/** docs/redis.md §3, Redis 5.0 → 8.x and Valkey 8.1; the string-valued ones separately. */
const STRING_KEYS = ['addr', 'laddr', 'name', 'flags', 'events', 'cmd', 'user', 'lib-name']
  .concat(['lib-ver', 'capa'])
  .sort()
const NUMERIC_KEYS = [
  'id fd age idle db sub psub ssub multi watch qbuf qbuf-free argv-mem multi-mem rbs rbp',
  'obl oll omem tot-mem redir resp io-thread tot-net-in tot-net-out tot-cmds',
]
  .join(' ')
  .split(' ')
const code = (key: string) => {
  const bytes = Buffer.from(` ${key}=`)
  return fieldAt(bytes, 1, bytes.length - 2)
}

void describe('fieldAt', () => {
  void it('gives every documented key its own code', () => {
    const codes = [...STRING_KEYS, ...NUMERIC_KEYS].map(code)
    assert.ok(codes.every((c) => c !== UNKNOWN))
    assert.equal(new Set(codes).size, codes.length)
    // Codes are 1..36 without gaps: `setNumber`/`setString` switch over exactly these.
    assert.deepEqual(
      codes.slice().sort((a, b) => a - b),
      codes.map((_, i) => i + 1)
    )
  })

  void it('marks exactly the numeric keys as numeric', () => {
    assert.deepEqual(
      STRING_KEYS.filter((key) => code(key) >= FIRST_NUMERIC),
      []
    )
    assert.deepEqual(
      NUMERIC_KEYS.filter((key) => code(key) < FIRST_NUMERIC),
      []
    )
  })

  void it('does not recognise near misses: other case, prefixes, suffixes, later fields', () => {
    const nearMisses = [
      ...['ID', 'Addr', 'i', 'ids', 'add', 'addrs', 'ob', 'olm', 'rbx', 'qbuf-fre', 'qbuf-freee'],
      ...['tot-net-i', 'tot-net-inn', 'tot-net-outs', 'omem-shared', 'omem-unshared'],
      ...['read-events', 'avg-pipeline-len-sum', 'lib-vers', 'lib-nam', 'io-threads'],
      ...['multi-meM', 'capa\u0100', 'c\u0100pa', 'id\u0000', ''],
      // Same length and first word as a known key, differing only in the last char.
      ...['qbuf-frex', 'multi-mex', 'io-threax', 'tot-net-ix', 'tot-net-oux', 'tot-cmdx'],
      ...['eventx', 'laddx', 'flagx', 'multx', 'watcx', 'redix', 'tot-mex', 'lib-vex'],
      ...['argv-mex', 'lib-namx', 'adx', 'nx', 'agx', 'cmx', 'rbq'],
    ]
    assert.deepEqual(
      nearMisses.filter((key) => code(key) !== UNKNOWN),
      []
    )
  })
})
