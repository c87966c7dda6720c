// The console's IP/CIDR filter must keep the sessions the server's KillRedisSessions filter keeps:
// compared with src/core/filter/session-filter.ts (ipaddr.js) on generated addresses.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compileIpMatcher as serverMatcher } from '../../../src/core/filter/session-filter.ts'
import { compileIpMatcher, InvalidIpError } from './ip-match.ts'

const v4 = fc.ipV4()
// ipaddr.js reads any `…::a.b.c.d` as IPv4-mapped (`::1.2.3.4` → `::ffff:102:304`); Redis prints
// mapped clients as `::ffff:a.b.c.d`, which both sides treat alike, so other dotted forms are left out.
const v6 = fc.ipV6().filter((ip) => !ip.includes('.'))
const address = fc.oneof(
  v4,
  v6,
  v4.map((ip) => `::ffff:${ip}`)
)

describe('web ip-match', () => {
  it('matches bare addresses and networks as the server does', () => {
    fc.assert(
      fc.property(address, address, fc.integer({ min: 0, max: 128 }), (network, client, bits) => {
        const max = network.includes(':') ? 128 : 32
        for (const filter of [network, `${network}/${bits % (max + 1)}`]) {
          assert.equal(
            compileIpMatcher(filter)(client),
            serverMatcher(filter)(client),
            `${filter} vs ${client}`
          )
        }
      }),
      { numRuns: 2000 }
    )
  })

  it('matches neighbours inside a network and not outside', () => {
    const matches = compileIpMatcher('10.1.0.0/16')
    assert.equal(matches('10.1.255.7'), true)
    assert.equal(matches('10.2.0.1'), false)
    assert.equal(matches('::ffff:10.1.2.3'), true)
    assert.equal(matches('/tmp/redis.sock'), false)
    assert.equal(compileIpMatcher('fd00::/8')('fd12:3456::1'), true)
    assert.equal(compileIpMatcher('::1')('::1'), true)
    assert.equal(compileIpMatcher('::1')('127.0.0.1'), false)
  })

  it('refuses text that is no address', () => {
    for (const text of ['', 'abc', '10.0.0.0/33', '1.2.3.4.5', 'fe80::1::2', '10.0.0.256']) {
      assert.throws(() => compileIpMatcher(text), InvalidIpError, text)
    }
  })
})
