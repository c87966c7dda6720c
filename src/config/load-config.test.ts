import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from './load-config.ts'

const VARIABLE = 'REDIS_SESSIONS_TRUST_PROXY'

/** `trustedProxies` of a config read from an environment holding only `value`. */
const trustedProxiesOf = (value: string | undefined): readonly string[] =>
  loadConfig(value === undefined ? {} : { [VARIABLE]: value }, { dataDir: '.' }).trustedProxies

/** Asserts `loadConfig` refuses `value` with a ConfigError naming the variable and `entry`. */
function assertRefused(value: string, entry: string, reason: RegExp): void {
  assert.throws(
    () => trustedProxiesOf(value),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`)
      assert.ok(error.message.startsWith(VARIABLE), error.message)
      assert.ok(error.message.includes(`"${entry}"`), `entry not named: ${error.message}`)
      assert.match(error.message, reason)
      return true
    },
    `${JSON.stringify(value)} was accepted`
  )
}

void describe('loadConfig: REDIS_SESSIONS_TRUST_PROXY', () => {
  void it('trusts no proxy when the variable is unset, empty or blank', () => {
    assert.deepEqual(trustedProxiesOf(undefined), [])
    assert.deepEqual(trustedProxiesOf(''), [])
    assert.deepEqual(trustedProxiesOf('  '), [])
  })

  void it('keeps addresses, CIDR ranges (IPv4 and IPv6) and the named ranges, trimmed', () => {
    assert.deepEqual(trustedProxiesOf('127.0.0.1'), ['127.0.0.1'])
    assert.deepEqual(
      trustedProxiesOf(
        '10.0.0.11, 10.0.0.12 ,192.168.0.0/16,::1, 2001:db8::/32,fd00::7,::ffff:10.0.0.0/104,loopback,linklocal,uniquelocal'
      ),
      [
        '10.0.0.11',
        '10.0.0.12',
        '192.168.0.0/16',
        '::1',
        '2001:db8::/32',
        'fd00::7',
        '::ffff:10.0.0.0/104',
        'loopback',
        'linklocal',
        'uniquelocal',
      ]
    )
  })

  void it('refuses trusting every peer, and says a client could forge its source IP', () => {
    const forge = /forge its source IP past acs:SourceIp/
    assertRefused('true', 'true', forge)
    assertRefused('TRUE', 'TRUE', forge)
    assertRefused('*', '*', forge)
    assertRefused('10.0.0.1,*', '*', forge)
    assertRefused('2', '2', /hop counts/)
    assertRefused('2', '2', forge)
    assertRefused('0.0.0.0/0', '0.0.0.0/0', forge)
    assertRefused('::/0', '::/0', forge)
    // Every IPv4 peer, written as IPv4-mapped IPv6 (proxy-addr matches IPv4 peers against it).
    assertRefused('::ffff:0:0/96', '::ffff:0:0/96', forge)
  })

  void it('refuses an entry that is no address, CIDR range or named range', () => {
    const notAnAddress = /is not an IP address, a CIDR range, loopback, linklocal or uniquelocal/
    assertRefused('300.1.1.1', '300.1.1.1', notAnAddress)
    assertRefused('10.0.0.0/99', '10.0.0.0/99', notAnAddress)
    assertRefused('2001:db8::/129', '2001:db8::/129', notAnAddress)
    assertRefused('127.0.0.1, 10.1', '10.1', notAnAddress)
    assertRefused('10.0.0.0/255.0.0.0', '10.0.0.0/255.0.0.0', notAnAddress)
    assertRefused('Loopback', 'Loopback', notAnAddress)
    assertRefused('nginx.internal', 'nginx.internal', notAnAddress)
    assert.throws(() => trustedProxiesOf('10.0.0.1,,10.0.0.2'), /empty entry/)
  })
})
