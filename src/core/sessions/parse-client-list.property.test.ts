import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ReplyParseError } from '../errors.ts'
import type { ClientSession } from './client-session.ts'
import { parseClientList } from './parse-client-list.ts'

const NODE = '127.0.0.1:6379'
/** Every key the parser knows (docs/redis.md §3); the round trip generates only others. */
const KNOWN = new Set(
  [
    'id addr laddr fd name age idle flags db sub psub ssub multi watch qbuf qbuf-free argv-mem',
    'multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp lib-name lib-ver',
    'io-thread tot-net-in tot-net-out tot-cmds capa',
  ]
    .join(' ')
    .split(' ')
)
const VALID = readFileSync(new URL('./__fixtures__/redis-7.0.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '')

/** Parses, and accepts only two outcomes: sessions without NaN, or a ReplyParseError. */
function parsesOrRejects(text: string): ClientSession[] | ReplyParseError {
  try {
    const sessions = parseClientList(text, NODE)
    for (const session of sessions) {
      for (const [key, value] of Object.entries(session)) {
        if (typeof value === 'number') assert.ok(Number.isFinite(value), `${key} is ${value}`)
        else if (key !== 'extra') assert.ok(value === undefined || typeof value === 'string', key)
      }
    }
    return sessions
  } catch (error) {
    if (error instanceof ReplyParseError) return error
    throw error
  }
}

// Characters that steer the parser into its branches, plus a few arbitrary ones.
const TRICKY = fc.constantFrom(...'id=addr fd- 0129:[]%\n\r\tqbufree-multi?ü\u0000'.split(''))
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({ unit: TRICKY }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 12 }) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.string({ unit: 'binary' }),
  })
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

function mutate(line: string, m: Mutation): string {
  const at = m.at % (line.length + 1)
  switch (m.kind) {
    case 'insert':
      return line.slice(0, at) + m.text + line.slice(at)
    case 'delete':
      return line.slice(0, at) + line.slice(at + m.length)
    case 'replace':
      return line.slice(0, at) + m.text + line.slice(at + m.text.length)
  }
}

void describe('parseClientList properties', () => {
  void it('returns sessions or throws ReplyParseError for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        parsesOrRejects(text)
        parsesOrRejects(`id=1 ${text}`)
      }),
      { numRuns: 2000 }
    )
    fc.assert(
      fc.property(
        fc.string({ unit: TRICKY, maxLength: 200 }),
        (text) => void parsesOrRejects(text)
      ),
      {
        numRuns: 5000,
      }
    )
  })

  void it('returns sessions or throws ReplyParseError for mutations of real lines', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (line, mutations, twoLines) => {
          const bad = mutations.reduce(mutate, line)
          parsesOrRejects(twoLines ? `${line}\n${bad}\n${line}\n` : bad)
        }
      ),
      { numRuns: 5000 }
    )
  })

  void it('reads back any well-formed line it is given', () => {
    const value = fc.string({ unit: fc.constantFrom(...'abcz09=-|()!~'.split('')), maxLength: 12 })
    const integer = fc.oneof(fc.integer({ min: -1, max: 2 ** 31 }), fc.maxSafeInteger())
    const unknownKey = fc.stringMatching(/^[a-z][a-z-]{0,14}$/).filter((key) => !KNOWN.has(key))
    fc.assert(
      fc.property(
        fc.record({ id: integer, fd: integer, name: value, cmd: value, totNetIn: integer }),
        fc.dictionary(unknownKey, value, { maxKeys: 3 }),
        fc.constantFrom('10.1.2.3:4567', '[fe80::1%eth0]:80', '/tmp/a b=c/redis.sock:0'),
        (known, extra, addr) => {
          const extras = Object.entries(extra).map(([k, v]) => ` ${k}=${v}`)
          const line =
            `id=${known.id} addr=${addr} laddr=${addr} fd=${known.fd} name=${known.name}` +
            `${extras.join('')} cmd=${known.cmd} tot-net-in=${known.totNetIn}`
          const [session] = parseClientList(`${line}\n`, NODE)
          assert.deepEqual(
            [session?.id, session?.addr, session?.laddr, session?.fd, session?.name, session?.cmd],
            [known.id, addr, addr, known.fd, known.name, known.cmd]
          )
          assert.equal(session?.totNetIn, known.totNetIn)
          assert.deepEqual(session?.extra ?? {}, { ...extra }) // fc.dictionary has a null prototype
        }
      ),
      { numRuns: 2000 }
    )
  })
})
