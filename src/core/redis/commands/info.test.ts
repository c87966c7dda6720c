import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplyParseError } from '../../errors.ts'
import { loadFixture } from './__fixtures__/load-fixture.ts'
import { INFO, infoReplicas } from './info.ts'

const NODE = '127.0.0.1:27100'

void describe('INFO', () => {
  void it('sends INFO with an optional section', () => {
    assert.deepEqual(INFO.args(), ['INFO'])
    assert.deepEqual(INFO.args('replication'), ['INFO', 'replication'])
  })

  void it("parses a 7.0.15 master's replication section and its replicas", () => {
    const info = INFO.parse(loadFixture('redis-7.0.15-info-replication-master'), NODE)
    assert.equal(info['role'], 'master')
    assert.equal(info['connected_slaves'], '1')
    assert.equal(info['slave0'], 'ip=127.0.0.1,port=27104,state=online,offset=42,lag=1')
    assert.deepEqual(infoReplicas(info, NODE), [
      { host: '127.0.0.1', port: 27104, state: 'online' },
    ])
  })

  void it("parses a 7.0.15 replica's replication section", () => {
    const info = INFO.parse(loadFixture('redis-7.0.15-info-replication-replica'), NODE)
    assert.equal(info['role'], 'slave')
    assert.equal(info['master_host'], '127.0.0.1')
    assert.equal(info['master_port'], '27100')
    assert.deepEqual(infoReplicas(info, NODE), [])
  })

  void it("parses a sentinel's empty answer and keeps keys off the prototype", () => {
    assert.deepEqual(INFO.parse('', NODE), {})
    const info = INFO.parse('__proto__:x\r\ncluster_enabled:1\r\n', NODE)
    assert.equal(info['cluster_enabled'], '1')
    assert.equal(Object.getPrototypeOf(info), Object.prototype)
    assert.equal(Object.keys(info).length, 2)
  })

  void it('reads IPv6 replicas (values keep their colons)', () => {
    const info = INFO.parse('slave0:ip=::1,port=7001,state=online,offset=1,lag=0\r\n', NODE)
    assert.deepEqual(infoReplicas(info, NODE), [{ host: '::1', port: 7001, state: 'online' }])
  })

  void it('throws ReplyParseError on a line without key:value, with its line number', () => {
    assert.throws(
      () => INFO.parse('# Replication\r\nrole:master\r\ngarbage\r\n', NODE),
      (e: unknown) => {
        assert.ok(e instanceof ReplyParseError)
        assert.equal(e.line, 3)
        assert.equal(e.excerpt, 'garbage')
        return true
      }
    )
    assert.throws(() => INFO.parse(42, NODE), ReplyParseError)
    assert.throws(() => infoReplicas({ slave0: 'state=online' }, NODE), ReplyParseError)
  })
})
