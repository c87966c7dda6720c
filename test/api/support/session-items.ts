import assert from 'node:assert/strict'
import { dataOf, isJsonObject, signedInject, type JsonObject } from './signed-inject.ts'
import type { TestApp } from './test-app.ts'

/** The `Sessions` items of a GetRedisAllSession or KillRedisSessions `Data`, each an object. */
export function sessionItems(data: unknown): JsonObject[] {
  assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']), 'Data.Sessions is an array')
  const items: unknown[] = data['Sessions']
  return items.map((item, i) => {
    assert.ok(isJsonObject(item), `Sessions[${i}] is an object`)
    return item
  })
}

/** The sessions GetRedisAllSession lists for `instanceId` now, called by `admin`. */
export async function listedSessions(test: TestApp, instanceId: string): Promise<JsonObject[]> {
  const response = await signedInject(test.app, {
    action: 'GetRedisAllSession',
    params: { InstanceId: instanceId },
    ...test.admin,
  })
  return sessionItems(dataOf(response))
}
