import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  createAliasMatcher,
  InvalidAliasError,
  normalizeCidr,
  type ClientAlias,
} from './alias-matcher.ts'

const alias = (cidr: string, description: string, instanceId: string | null = null) => ({
  cidr,
  description,
  instanceId,
})

describe('createAliasMatcher', () => {
  it('uses the longest of overlapping prefixes', () => {
    const matcher = createAliasMatcher([
      alias('10.0.0.0/8', 'ten'),
      alias('10.1.2.3', 'host'),
      alias('10.1.0.0/16', 'dc1'),
      alias('10.1.2.0/24', 'rack'),
    ])
    const of = matcher.forInstance('r-1')
    assert.equal(of('10.1.2.3'), 'host')
    assert.equal(of('10.1.2.4'), 'rack')
    assert.equal(of('10.1.9.9'), 'dc1')
    assert.equal(of('10.200.0.1'), 'ten')
    assert.equal(of('11.0.0.1'), '')
  })

  it('looks in the instance aliases first, then in the global ones', () => {
    const matcher = createAliasMatcher([
      alias('10.1.2.3/32', 'global host'),
      alias('10.0.0.0/8', 'r-1 network', 'r-1'),
      alias('192.168.0.0/16', 'r-2 office', 'r-2'),
    ])
    // An instance alias wins even when a global one is longer.
    assert.equal(matcher.aliasOf('r-1', '10.1.2.3'), 'r-1 network')
    assert.equal(matcher.aliasOf('r-2', '10.1.2.3'), 'global host')
    assert.equal(matcher.aliasOf('r-3', '10.1.2.3'), 'global host')
    assert.equal(matcher.aliasOf('r-1', '192.168.1.1'), '')
    assert.equal(matcher.aliasOf('r-2', '192.168.1.1'), 'r-2 office')
  })

  it('matches IPv6 clients, and IPv4-mapped IPv6 clients against IPv4 aliases', () => {
    const matcher = createAliasMatcher([
      alias('2001:db8::/32', 'doc'),
      alias('2001:db8:0:1::/64', 'doc subnet'),
      alias('::1', 'loopback6'),
      alias('fe80::/10', 'link-local'),
      alias('10.0.0.0/8', 'ten'),
      alias('::ffff:192.168.0.0/112', 'lab'),
    ])
    const of = matcher.forInstance('r-1')
    assert.equal(of('2001:db8:0:1::42'), 'doc subnet')
    assert.equal(of('2001:db8:ffff::1'), 'doc')
    assert.equal(of('::1'), 'loopback6')
    assert.equal(of('fe80::1%eth0'), 'link-local')
    assert.equal(of('::ffff:10.0.0.1'), 'ten')
    assert.equal(of('::ffff:a00:1'), 'ten')
    assert.equal(of('192.168.3.4'), 'lab')
    assert.equal(of('2001:db9::1'), '')
  })

  it('keeps IPv4 and IPv6 apart: ::/0 does not cover IPv4 clients', () => {
    const matcher = createAliasMatcher([alias('::/0', 'any v6'), alias('0.0.0.0/0', 'any v4')])
    assert.equal(matcher.aliasOf('r-1', '::ffff:10.0.0.1'), 'any v4')
    assert.equal(matcher.aliasOf('r-1', '2001:db8::1'), 'any v6')
    assert.equal(matcher.aliasOf('r-1', '127.0.0.1'), 'any v4')
  })

  it('never matches clients that are not IP addresses', () => {
    const matcher = createAliasMatcher([alias('0.0.0.0/0', 'v4'), alias('::/0', 'v6')])
    for (const client of ['/run/redis.sock', '/tmp/a:b.sock', '?', '', '10.0.0', '010.0.0.1']) {
      assert.equal(matcher.aliasOf('r-1', client), '', client)
    }
    assert.equal(matcher.aliasOf('r-1', '1.2.3.256'), '')
  })

  it('lets the later of two aliases for the same network win', () => {
    const matcher = createAliasMatcher([alias('10.0.0.1', 'first'), alias('10.0.0.1/32', 'second')])
    assert.equal(matcher.aliasOf('r-1', '10.0.0.1'), 'second')
  })

  it('resolves nothing without aliases', () => {
    assert.equal(createAliasMatcher([]).aliasOf('r-1', '10.0.0.1'), '')
  })

  it('rejects an invalid alias when built', () => {
    const bad: ClientAlias[] = [alias('10.0.0.0/8', 'ok'), alias('10.0.0.1/8', 'bad', 'r-1')]
    assert.throws(() => createAliasMatcher(bad), { name: 'InvalidAliasError', input: '10.0.0.1/8' })
  })
})

describe('normalizeCidr', () => {
  it('prints one canonical form', () => {
    assert.equal(normalizeCidr('10.0.0.0/8'), '10.0.0.0/8')
    assert.equal(normalizeCidr('10.1.2.3'), '10.1.2.3/32')
    assert.equal(normalizeCidr('2001:DB8:0:0::/32'), '2001:db8::/32')
    assert.equal(normalizeCidr('2001:db8::1'), '2001:db8::1/128')
    assert.equal(normalizeCidr('::ffff:10.0.0.0/104'), '10.0.0.0/8')
    assert.equal(normalizeCidr('0.0.0.0/0'), '0.0.0.0/0')
    assert.equal(normalizeCidr('::/0'), '::/0')
  })

  it('rejects what is not an IP or CIDR, naming the input and the reason', () => {
    const cases: [string, RegExp][] = [
      ['10.0.0.0/33', /prefix length must be an integer 0–32/],
      ['::/129', /prefix length must be an integer 0–128/],
      ['abc', /not an IPv4 or IPv6 address/],
      ['10.0.0.1/8', /host bits are set; did you mean 10\.0\.0\.0\/8\?/],
      ['2001:db8::1/32', /did you mean 2001:db8::\/32\?/],
      ['10.0.0.0/', /prefix length/],
      ['10.0.0.0/08', /prefix length/],
      ['10.0.0.0/8/8', /prefix length/],
      ['10', /not an IPv4/],
      ['010.0.0.0/8', /not an IPv4/],
      ['fe80::1%eth0', /not an IPv4/],
      [' 10.0.0.0/8', /not an IPv4/],
      ['', /not an IPv4/],
    ]
    for (const [input, reason] of cases) {
      assert.throws(
        () => normalizeCidr(input),
        (error) => {
          assert.ok(error instanceof InvalidAliasError, input)
          assert.equal(error.code, 'InvalidCidr')
          assert.equal(error.input, input)
          assert.match(error.message, reason)
          assert.ok(error.message.includes(JSON.stringify(input)), error.message)
          return true
        }
      )
    }
  })
})
