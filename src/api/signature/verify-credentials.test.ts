/** verifySignature: time stamps, AccessKeys, SecurityTokens, nonces and the order of checks. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sha256Hex } from './canonicalize-v3.ts'
import type { CredentialRecord } from './credential.ts'
import { buildSignedRequest, type SignedRequestOptions } from './sign.ts'
import {
  countingNonceStore,
  fixedLookup,
  TEST_NOW,
  toRpcRequest,
  verifyAt,
} from './test-support.ts'

const MINUTE = 60_000
const TOKEN = 'CAIS+token/abc=='
const PERMANENT: CredentialRecord = {
  accessKeyId: 'AK1',
  secret: 's1',
  status: 'Active',
  userName: 'alice',
}
const DISABLED: CredentialRecord = { ...PERMANENT, accessKeyId: 'AK2', status: 'Inactive' }
const TEMPORARY: CredentialRecord = {
  accessKeyId: 'STS.AK3',
  secret: 's3',
  status: 'Active',
  userName: 'bob',
  securityTokenSha256: sha256Hex(TOKEN),
  expiresAt: new Date(TEST_NOW.getTime() + 60 * MINUTE),
  mfaPresent: true,
}
const RECORDS = [PERMANENT, DISABLED, TEMPORARY]

type Overrides = Partial<Omit<SignedRequestOptions, 'endpoint' | 'action'>>

/** Requests for both schemes, signed with `overrides`. */
function requests(overrides: Overrides = {}) {
  return (['V1', 'V3'] as const).map((scheme) =>
    toRpcRequest(
      buildSignedRequest({
        endpoint: 'http://127.0.0.1:8080',
        scheme,
        action: 'GetRedisAllSession',
        params: { InstanceId: 'r-1' },
        accessKeyId: 'AK1',
        accessKeySecret: 's1',
        now: TEST_NOW,
        ...overrides,
      })
    )
  )
}

async function rejectsBoth(overrides: Overrides, code: string, now = TEST_NOW): Promise<void> {
  for (const req of requests(overrides)) {
    await assert.rejects(verifyAt(req, fixedLookup(RECORDS), countingNonceStore(now), now), {
      code,
    })
  }
}

describe('verifySignature: time stamp', () => {
  it('accepts up to 15 minutes either way', async () => {
    for (const offset of [-15 * MINUTE, 15 * MINUTE]) {
      for (const req of requests({ now: new Date(TEST_NOW.getTime() + offset) })) {
        await verifyAt(req, fixedLookup(RECORDS))
      }
    }
  })

  it('is InvalidTimeStamp.Expired beyond 15 minutes, past or future, before any lookup', async () => {
    for (const offset of [-15 * MINUTE - 1000, 15 * MINUTE + 1000]) {
      for (const req of requests({ now: new Date(TEST_NOW.getTime() + offset) })) {
        const lookup = fixedLookup(RECORDS)
        await assert.rejects(verifyAt(req, lookup), { code: 'InvalidTimeStamp.Expired' })
        assert.equal(lookup.calls, 0)
      }
    }
  })

  it('is InvalidTimeStamp.Format for anything but yyyy-MM-ddTHH:mm:ssZ', async () => {
    const bad = [
      '2024-01-01T00:00:00.000Z',
      '2024-01-01 00:00:00',
      '2024-02-30T00:00:00Z',
      '2024-01-01T00:00:00+00:00',
      'now',
    ]
    for (const value of bad) {
      for (const req of requests()) {
        const query = req.query.replace(/Timestamp=[^&]*/, `Timestamp=${encodeURIComponent(value)}`)
        const headers =
          'x-acs-date' in req.headers ? { ...req.headers, 'x-acs-date': value } : req.headers
        await assert.rejects(
          verifyAt({ ...req, query, headers }, fixedLookup(RECORDS)),
          { code: 'InvalidTimeStamp.Format' },
          value
        )
      }
    }
  })
})

describe('verifySignature: AccessKey', () => {
  it('is InvalidAccessKeyId.NotFound for an unknown key', async () => {
    await rejectsBoth({ accessKeyId: 'nobody' }, 'InvalidAccessKeyId.NotFound')
  })

  it('is InvalidAccessKeyId.Inactive for a disabled key, even with the right secret', async () => {
    await rejectsBoth({ accessKeyId: 'AK2' }, 'InvalidAccessKeyId.Inactive')
  })

  it('is InvalidAccessKeyId.NotFound for a permanent key past its end of validity', async () => {
    const expired = { ...PERMANENT, expiresAt: TEST_NOW }
    for (const req of requests()) {
      await assert.rejects(verifyAt(req, fixedLookup([expired])), {
        code: 'InvalidAccessKeyId.NotFound',
      })
    }
  })

  it('refuses a SecurityToken sent with a permanent key', async () => {
    await rejectsBoth({ securityToken: TOKEN }, 'InvalidSecurityToken.MismatchWithAccessKey')
  })

  it('propagates a failing lookup', async () => {
    const failing = () => Promise.reject(new Error('store down'))
    for (const req of requests()) await assert.rejects(verifyAt(req, failing), /store down/)
  })
})

describe('verifySignature: temporary credentials', () => {
  const sts = { accessKeyId: 'STS.AK3', accessKeySecret: 's3' }

  it('accepts the right SecurityToken and reports a temporary, MFA caller', async () => {
    for (const req of requests({ ...sts, securityToken: TOKEN })) {
      const caller = await verifyAt(req, fixedLookup(RECORDS))
      assert.equal(caller.temporary, true)
      assert.equal(caller.mfaPresent, true)
      assert.equal(caller.userName, 'bob')
    }
  })

  it('is MissingSecurityToken without a token (or an empty one)', async () => {
    await rejectsBoth(sts, 'MissingSecurityToken')
    await rejectsBoth({ ...sts, securityToken: '' }, 'MissingSecurityToken')
  })

  it('is InvalidSecurityToken.MismatchWithAccessKey for another token', async () => {
    await rejectsBoth(
      { ...sts, securityToken: `${TOKEN}x` },
      'InvalidSecurityToken.MismatchWithAccessKey'
    )
  })

  it('is InvalidSecurityToken.Malformed for a token over 8192 characters', async () => {
    await rejectsBoth({ ...sts, securityToken: 'x'.repeat(8193) }, 'InvalidSecurityToken.Malformed')
  })

  it('is InvalidSecurityToken.Expired once expired, but only to the token holder', async () => {
    const later = new Date(TEST_NOW.getTime() + 60 * MINUTE)
    const at = { now: later }
    await rejectsBoth(
      { ...sts, ...at, securityToken: TOKEN },
      'InvalidSecurityToken.Expired',
      later
    )
    await rejectsBoth(
      { ...sts, ...at, securityToken: 'other' },
      'InvalidSecurityToken.MismatchWithAccessKey',
      later
    )
  })
})

describe('verifySignature: nonce', () => {
  it('is SignatureNonceUsed for a replay, per AccessKeyId', async () => {
    for (const req of requests({ nonce: 'same' })) {
      const nonces = countingNonceStore()
      await verifyAt(req, fixedLookup(RECORDS), nonces)
      await assert.rejects(verifyAt(req, fixedLookup(RECORDS), nonces), {
        code: 'SignatureNonceUsed',
      })
    }
  })

  it('lets the same nonce be used by another AccessKeyId', async () => {
    const nonces = countingNonceStore()
    const [first] = requests({ nonce: 'same' })
    const [second] = requests({
      nonce: 'same',
      accessKeyId: 'STS.AK3',
      accessKeySecret: 's3',
      securityToken: TOKEN,
    })
    assert.ok(first !== undefined && second !== undefined)
    await verifyAt(first, fixedLookup(RECORDS), nonces)
    await verifyAt(second, fixedLookup(RECORDS), nonces)
  })

  it('claims no nonce for a request that fails earlier, so forgeries cannot burn nonces', async () => {
    for (const index of [0, 1]) {
      const forged = requests({ nonce: 'n', accessKeySecret: 'wrong' })[index]
      const genuine = requests({ nonce: 'n' })[index]
      assert.ok(forged !== undefined && genuine !== undefined)
      const nonces = countingNonceStore()
      await assert.rejects(verifyAt(forged, fixedLookup(RECORDS), nonces), {
        code: 'SignatureDoesNotMatch',
      })
      assert.equal(nonces.claims, 0)
      await verifyAt(genuine, fixedLookup(RECORDS), nonces)
      assert.equal(nonces.claims, 1)
    }
  })

  it('keeps the nonce until the time stamp leaves the window', async () => {
    const claimed: Date[] = []
    const store = {
      claim: (_id: string, _nonce: string, expiresAt: Date) => (
        claimed.push(expiresAt),
        Promise.resolve(true)
      ),
    }
    for (const req of requests()) await verifyAt(req, fixedLookup(RECORDS), store)
    assert.deepEqual(
      claimed.map((d) => d.getTime() - TEST_NOW.getTime()),
      [15 * MINUTE, 15 * MINUTE]
    )
  })
})

describe('verifySignature: order of checks (protocol.md §9)', () => {
  it('reports the time stamp before an unknown key, and the key before a bad signature', async () => {
    const old = new Date(TEST_NOW.getTime() - 20 * MINUTE)
    await rejectsBoth({ accessKeyId: 'nobody', now: old }, 'InvalidTimeStamp.Expired')
    await rejectsBoth(
      { accessKeyId: 'AK2', accessKeySecret: 'wrong' },
      'InvalidAccessKeyId.Inactive'
    )
    await rejectsBoth({ accessKeyId: 'STS.AK3', accessKeySecret: 'wrong' }, 'MissingSecurityToken')
  })
})
