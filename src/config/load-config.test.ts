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

void describe('loadConfig: REDIS_SESSIONS_API_RATE_LIMIT', () => {
  const limitsOf = (value: string) =>
    loadConfig({ REDIS_SESSIONS_API_RATE_LIMIT: value }, { dataDir: '.' }).apiRateLimits

  void it('has no limit when unset', () => {
    const limits = loadConfig({}, { dataDir: '.' }).apiRateLimits
    assert.equal(limits.everyAction, undefined)
    assert.equal(limits.perAction.size, 0)
  })

  void it('reads a bare rate for every action and Action=rate entries, decimals allowed', () => {
    const limits = limitsOf(' 20 , KillInstanceAllSession=0.2,GetRedisAllSession = 5')
    assert.equal(limits.everyAction, 20)
    assert.deepEqual(
      [...limits.perAction],
      [
        ['KillInstanceAllSession', 0.2],
        ['GetRedisAllSession', 5],
      ]
    )
  })

  for (const [value, reason] of [
    ['0', /above 0/],
    ['GetRedisAllSession=-1', /"GetRedisAllSession=-1"/],
    ['GetRedisAllSession=', /requests per second/],
    ['fast', /"fast"/],
    ['1,2', /two bare rates/],
    ['get-all=3', /"get-all" is not an action name/],
    ['GetRedisAllSession=1,GetRedisAllSession=2', /names GetRedisAllSession twice/],
    ['1,', /""/],
    ['KillInstanceAllSession=0.2=5', /"KillInstanceAllSession=0\.2=5"/],
  ] as const) {
    void it(`refuses ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => limitsOf(value),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.startsWith('REDIS_SESSIONS_API_RATE_LIMIT') &&
          reason.test(error.message)
      )
    })
  }
})

void describe('loadConfig: REDIS_SESSIONS_REQUIRE_HTTPS', () => {
  const requireHttpsOf = (value: string | undefined) =>
    loadConfig(value === undefined ? {} : { REDIS_SESSIONS_REQUIRE_HTTPS: value }, {
      dataDir: '.',
    }).requireHttps

  void it('is off unless set to true or 1', () => {
    assert.equal(requireHttpsOf(undefined), false)
    assert.equal(requireHttpsOf('false'), false)
    assert.equal(requireHttpsOf('0'), false)
    assert.equal(requireHttpsOf('TRUE'), true)
    assert.equal(requireHttpsOf('1'), true)
  })

  void it('refuses anything else, naming the variable', () => {
    assert.throws(() => requireHttpsOf('yes'), /REDIS_SESSIONS_REQUIRE_HTTPS must be true or false/)
  })
})
