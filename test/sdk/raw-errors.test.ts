/**
 * The error rows of docs/errors.md that no SDK can send, with hand-built requests: each answer
 * has its HTTP status and `Code`, is JSON, never HTTP 200, and carries a `RequestId` equal to
 * its `x-acs-request-id` header.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startErrorWorld, type ErrorWorld } from './error-world.ts'
import { RAW_ERROR_CASES } from './raw-error-cases.ts'
import { assertErrorResponse } from './raw-request.ts'

describe('errors of hand-built requests', () => {
  let world: ErrorWorld | undefined

  before(async () => {
    world = await startErrorWorld()
  })

  after(async () => {
    await world?.close()
  })

  for (const errorCase of RAW_ERROR_CASES) {
    it(`${errorCase.name} → ${errorCase.code} ${errorCase.status}`, async () => {
      assert.ok(world !== undefined)
      const body = await assertErrorResponse(
        await errorCase.send(world),
        errorCase.code,
        errorCase.status
      )
      errorCase.check?.(body)
    })
  }
})
