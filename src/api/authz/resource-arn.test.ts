import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evaluatePolicies } from './evaluate-policy.ts'
import { parsePolicyDocument } from './policy-document.ts'
import { ALL_RESOURCES, instanceArn } from './resource-arn.ts'

const context = {
  sourceIp: '127.0.0.1',
  currentTime: new Date(0),
  secureTransport: false,
  mfaPresent: false,
  accessKeyId: 'AK',
  userName: 'u',
}
const effect = (Resource: string, resource: string) => {
  const Statement = [{ Effect: 'Allow', Action: 'hdm:*', Resource }]
  const document = parsePolicyDocument(JSON.stringify({ Version: '1', Statement }))
  return evaluatePolicies([{ name: 'p', document }], { action: 'hdm:X', resource, context }).effect
}

void describe('instanceArn', () => {
  void it('builds the hdm instance ARN', () => {
    assert.equal(instanceArn('r-bp1x'), 'acs:hdm:*:*:instance/r-bp1x')
  })

  void it('is matched by Resource "*" (the DAS grant)', () => {
    assert.equal(effect('*', instanceArn('r-1')), 'Allow')
  })

  void it('is matched by instance globs, case-sensitively', () => {
    assert.equal(effect('acs:hdm:*:*:instance/r-*', instanceArn('r-1')), 'Allow')
    assert.equal(effect('acs:hdm:*:*:instance/r-*', instanceArn('R-1')), 'ImplicitDeny')
  })

  void it('a Resource limited to instances does not match the all-resources request', () => {
    assert.equal(effect('acs:hdm:*:*:instance/*', ALL_RESOURCES), 'ImplicitDeny')
    assert.equal(effect('acs:hdm:*:*:*', ALL_RESOURCES), 'ImplicitDeny')
    assert.equal(effect('*', ALL_RESOURCES), 'Allow')
  })
})
