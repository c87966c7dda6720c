import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidRedisUrlError } from '../errors.ts'
import { parseRedisUrl } from './parse-redis-url.ts'

void describe('parseRedisUrl', () => {
  void it('reads host, port, user, password and db', () => {
    assert.deepEqual(parseRedisUrl('redis://alice:s3cret@cache.example:6380/2'), {
      endpoints: [{ kind: 'tcp', host: 'cache.example', port: 6380 }],
      connection: { username: 'alice', password: 's3cret' },
      db: 2,
    })
  })

  void it('defaults the port to 6379 and leaves out what is not given', () => {
    assert.deepEqual(parseRedisUrl('redis://localhost'), {
      endpoints: [{ kind: 'tcp', host: 'localhost', port: 6379 }],
      connection: {},
    })
  })

  void it('turns TLS on for rediss://', () => {
    const url = parseRedisUrl('rediss://:pw@10.0.0.5:6390')
    assert.deepEqual(url.connection, { password: 'pw', tls: {} })
    assert.deepEqual(url.endpoints, [{ kind: 'tcp', host: '10.0.0.5', port: 6390 }])
  })

  void it('reads bracketed IPv6 hosts', () => {
    assert.deepEqual(parseRedisUrl('redis://[::1]:7000').endpoints, [
      { kind: 'tcp', host: '::1', port: 7000 },
    ])
    assert.deepEqual(parseRedisUrl('redis://[2001:db8::5]').endpoints, [
      { kind: 'tcp', host: '2001:db8::5', port: 6379 },
    ])
  })

  void it('reads several hosts as seeds, in order', () => {
    assert.deepEqual(parseRedisUrl('redis://h1:7000,h2:7001,[::1]:7002').endpoints, [
      { kind: 'tcp', host: 'h1', port: 7000 },
      { kind: 'tcp', host: 'h2', port: 7001 },
      { kind: 'tcp', host: '::1', port: 7002 },
    ])
  })

  void it('percent-decodes user and password, and finds the last @', () => {
    const url = parseRedisUrl('redis://us%40er:p%3Aa%2Fss@host:1')
    assert.deepEqual(url.connection, { username: 'us@er', password: 'p:a/ss' })
    assert.deepEqual(parseRedisUrl('redis://:p@ss,w?rd@host:1').connection, {
      password: 'p@ss,w?rd',
    })
  })

  void it('reads unix socket URLs with optional credentials and db', () => {
    assert.deepEqual(parseRedisUrl('unix:///run/redis/redis.sock'), {
      endpoints: [{ kind: 'unix', path: '/run/redis/redis.sock' }],
      connection: {},
    })
    assert.deepEqual(parseRedisUrl('unix://:pw@/tmp/a%20b.sock?db=3'), {
      endpoints: [{ kind: 'unix', path: '/tmp/a b.sock' }],
      connection: { password: 'pw' },
      db: 3,
    })
  })

  void it('accepts the scheme in any case', () => {
    assert.equal(parseRedisUrl('REDIS://h:1').endpoints.length, 1)
  })

  const bad: Array<[string, RegExp]> = [
    ['localhost:6379', /not a URL/],
    ['http://host', /unsupported scheme 'http'/],
    ['redis://', /empty host/],
    ['redis://h1:7000,', /empty host/],
    ['redis://host:0', /port must be a number/],
    ['redis://host:65536', /port must be a number/],
    ['redis://host:abc', /port must be a number/],
    ['redis://::1:6379', /IPv6 addresses in brackets/],
    ['redis://[nope]:1', /IPv6/],
    ['redis://host/x', /database number/],
    ['redis://host?foo=1', /unsupported redis URL parameter 'foo'/],
    ['unix://relative.sock', /absolute path/],
  ]
  for (const [url, message] of bad) {
    void it(`rejects ${url}`, () => {
      assert.throws(
        () => parseRedisUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof InvalidRedisUrlError)
          assert.equal(error.code, 'InvalidRedisUrl')
          assert.match(error.message, message)
          return true
        }
      )
    })
  }

  void it('never puts the password into an error message', () => {
    const secret = 'Pa55-w0rd-XYZ'
    const urls = [
      `redis://u:${secret}@host:notaport`,
      `redis://u:${secret}%zz@host:1`,
      `redis://:${secret}@host:1/notadb`,
      `redis://:${secret}@host:1?${secret}=1`.replace(`?${secret}`, '?x'),
      `redis://:${secret}@[bad:1`,
      `redis://:${secret}@`,
    ]
    for (const url of urls) {
      assert.throws(
        () => parseRedisUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof InvalidRedisUrlError, url)
          assert.ok(!error.message.includes(secret), error.message)
          assert.ok(!error.message.includes('Pa55'), error.message)
          return true
        }
      )
    }
  })
})
