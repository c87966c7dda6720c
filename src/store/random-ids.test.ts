import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  newAccessKeyId,
  newAccessKeySecret,
  newSecurityToken,
  newTempAccessKeyId,
  randomBase62,
} from './random-ids.ts'

void describe('random-ids', () => {
  void it('makes ids in the Alibaba shapes', () => {
    assert.match(newAccessKeyId(), /^LTAI[0-9A-Za-z]{20}$/)
    assert.match(newAccessKeySecret(), /^[0-9A-Za-z]{30}$/)
    assert.match(newTempAccessKeyId(), /^STS\.[0-9A-Za-z]{24}$/)
    assert.match(newSecurityToken(), /^[0-9A-Za-z]{64}$/)
  })

  void it('does not repeat and uses the whole alphabet', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newAccessKeyId()))
    assert.equal(ids.size, 200)
    const seen = new Set(randomBase62(20_000))
    assert.equal(seen.size, 62)
  })
})
