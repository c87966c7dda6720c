import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ipInRange, parseIpAddress, parseIpRange } from './ip-range.ts'

const inRange = (address: string, range: string) => {
  const a = parseIpAddress(address)
  const r = parseIpRange(range)
  assert.ok(a !== undefined && r !== undefined, `${address} / ${range} should parse`)
  return ipInRange(a, r)
}

void describe('ip ranges', () => {
  void it('accepts IPv4, IPv6 and CIDRs of both', () => {
    for (const text of ['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '::/0']) {
      assert.notEqual(parseIpRange(text), undefined, text)
    }
  })

  void it('rejects non-addresses and inet_aton shorthands', () => {
    for (const text of [
      '',
      '10',
      '10.1',
      '0x0a.0.0.1',
      '10.0.0.0/33',
      '::1/129',
      'a.b.c.d',
      '10.0.0.0/',
    ]) {
      assert.equal(parseIpRange(text), undefined, text)
    }
  })

  void it('matches addresses against ranges, IPv4-mapped IPv6 as IPv4', () => {
    assert.deepStrictEqual(
      [
        inRange('10.1.2.3', '10.0.0.0/8'),
        inRange('::ffff:10.1.2.3', '10.0.0.0/8'),
        inRange('10.1.2.3', '::ffff:10.0.0.0/104'),
        inRange('11.0.0.1', '10.0.0.0/8'),
        inRange('::1', '::1'),
        inRange('::2', '::1'),
        inRange('10.0.0.1', '::/0'),
        inRange('2001:db8::5', '2001:db8::/32'),
      ],
      [true, true, true, false, true, false, false, true]
    )
  })
})
