import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { loadFixture } from './__fixtures__/load-fixture.ts'
import { SENTINEL_GET_MASTER_ADDR_BY_NAME } from './sentinel-get-master-addr-by-name.ts'
import { SENTINEL_REPLICAS } from './sentinel-replicas.ts'

const NODE = '127.0.0.1:27300'

void describe('SENTINEL_GET_MASTER_ADDR_BY_NAME', () => {
  void it('sends the master name and parses [ip, port] (7.0.15) or nil', () => {
    assert.deepEqual(SENTINEL_GET_MASTER_ADDR_BY_NAME.args('mymaster'), [
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      'mymaster',
    ])
    assert.deepEqual(SENTINEL_GET_MASTER_ADDR_BY_NAME.parse(['127.0.0.1', '27200'], NODE), {
      host: '127.0.0.1',
      port: 27200,
    })
    assert.equal(SENTINEL_GET_MASTER_ADDR_BY_NAME.parse(null, NODE), null)
  })

  void it('throws ReplyParseError on malformed replies', () => {
    for (const reply of ['OK', ['127.0.0.1'], ['127.0.0.1', 'port']]) {
      assert.throws(() => SENTINEL_GET_MASTER_ADDR_BY_NAME.parse(reply, NODE), ReplyParseError)
    }
  })
})

void describe('SENTINEL_REPLICAS', () => {
  void it('sends REPLICAS, or SLAVES for sentinels before 5.0', () => {
    assert.deepEqual(SENTINEL_REPLICAS.args('m'), ['SENTINEL', 'REPLICAS', 'm'])
    assert.deepEqual(SENTINEL_REPLICAS.args('m', true), ['SENTINEL', 'SLAVES', 'm'])
  })

  void it('parses a 7.0.15 reply with one replica down', () => {
    const replicas = SENTINEL_REPLICAS.parse(
      loadFixture('redis-7.0.15-sentinel-replicas-sdown'),
      NODE
    )
    assert.deepEqual(
      replicas.map((r) => [r.name, r.ip, r.port, [...r.flags].sort(), r.masterLinkStatus]),
      [
        ['127.0.0.1:27201', '127.0.0.1', 27201, ['slave'], 'ok'],
        ['127.0.0.1:27202', '127.0.0.1', 27202, ['disconnected', 's_down', 'slave'], 'ok'],
      ]
    )
  })

  void it('throws ReplyParseError on malformed replies', () => {
    for (const reply of [
      'OK',
      [['name', 'x']],
      [['name', 'x', 'ip', 'y', 'port', 'z', 'flags', 'slave']],
    ]) {
      assert.throws(() => SENTINEL_REPLICAS.parse(reply, NODE), ReplyParseError)
    }
  })
})
