import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidRedisUrlError } from '../errors.ts'
import {
  applyAddressMap,
  compareAddresses,
  formatAddress,
  parseEndpoint,
  type NodeAddress,
} from './node-address.ts'

void describe('parseEndpoint', () => {
  void it('reads host:port, [v6]:port, bare hosts and socket paths', () => {
    assert.deepEqual(parseEndpoint('10.0.0.1:7000'), { kind: 'tcp', host: '10.0.0.1', port: 7000 })
    assert.deepEqual(parseEndpoint('[::1]:6380'), { kind: 'tcp', host: '::1', port: 6380 })
    assert.deepEqual(parseEndpoint('[fe80::1]'), { kind: 'tcp', host: 'fe80::1', port: 6379 })
    assert.deepEqual(parseEndpoint(' redis-0.redis '), {
      kind: 'tcp',
      host: 'redis-0.redis',
      port: 6379,
    })
    assert.deepEqual(parseEndpoint('/var/run/redis.sock'), {
      kind: 'unix',
      path: '/var/run/redis.sock',
    })
  })

  void it('rejects what is not an endpoint with InvalidRedisUrlError', () => {
    for (const text of [
      '',
      'a:b:c',
      'host:',
      'host:99999',
      '[::1',
      '[::1]x',
      'bad host:1',
      '-x:1',
    ]) {
      assert.throws(() => parseEndpoint(text), InvalidRedisUrlError, text)
    }
  })
})

void describe('formatAddress', () => {
  void it('brackets IPv6 and round-trips through parseEndpoint', () => {
    const addresses: NodeAddress[] = [
      { kind: 'tcp', host: '::1', port: 6379 },
      { kind: 'tcp', host: '127.0.0.1', port: 7000 },
      { kind: 'unix', path: '/tmp/r.sock' },
    ]
    assert.deepEqual(addresses.map(formatAddress), ['[::1]:6379', '127.0.0.1:7000', '/tmp/r.sock'])
    for (const address of addresses)
      assert.deepEqual(parseEndpoint(formatAddress(address)), address)
  })
})

void describe('applyAddressMap', () => {
  const map = new Map([
    ['10.0.0.1:7000', 'localhost:17000'],
    ['[fd00::1]:7001', '127.0.0.1:17001'],
  ])
  void it('maps announced addresses and leaves others alone', () => {
    assert.deepEqual(applyAddressMap({ kind: 'tcp', host: '10.0.0.1', port: 7000 }, map), {
      kind: 'tcp',
      host: 'localhost',
      port: 17000,
    })
    assert.deepEqual(applyAddressMap({ kind: 'tcp', host: 'fd00::1', port: 7001 }, map), {
      kind: 'tcp',
      host: '127.0.0.1',
      port: 17001,
    })
    const other: NodeAddress = { kind: 'tcp', host: '10.0.0.1', port: 7002 }
    assert.deepEqual(applyAddressMap(other, map), other)
    assert.deepEqual(applyAddressMap(other, undefined), other)
  })
})

void describe('compareAddresses', () => {
  void it('orders IPv4 numerically, then by port', () => {
    const sorted = ['10.0.0.10:1', '10.0.0.9:2', '10.0.0.9:1', 'a-host:1']
      .map((text) => parseEndpoint(text))
      .sort(compareAddresses)
      .map(formatAddress)
    assert.deepEqual(sorted, ['10.0.0.9:1', '10.0.0.9:2', '10.0.0.10:1', 'a-host:1'])
  })
})
