/**
 * Errors the official clients send only when steered through their own options: parameters that
 * pop-core and openapi-client v2 spread over their common ones (`Timestamp`, `SignatureNonce`,
 * `SignatureMethod`, `SignatureVersion`), headers openapi V3 spreads over its `x-acs-date` and
 * `x-acs-signature-nonce`, `Params.method`, `Params.authType`, a form body, a signature
 * algorithm, a query in pop-core's endpoint, or a server whose clock or rate limit is set for
 * it. A family left out of a case cannot be steered there; error-coverage.ts says why.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { MAX_NONCE_LENGTH } from '../../src/api/signature/signed-claims.ts'
import { MAX_SECURITY_TOKEN_LENGTH } from '../../src/api/signature/verify-signature.ts'
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/api/create-app.ts'
import { MAX_PARAMS_PER_REQUEST } from '../../src/api/rpc/handle-rpc.ts'
import type { Family, SdkCall } from './sdk-callers.ts'
import { UP_INSTANCE, type SdkErrorCase } from './sdk-error-cases.ts'

const isPopCore = (family: Family) => family.startsWith('pop-core')
/** Families that sign V1 and take common parameters from the caller's query. */
const takesCommonParams = (family: Family) => isPopCore(family) || family === 'openapi-client v2'

const instance = { InstanceId: UP_INSTANCE }

/** `Timestamp` (V1) or `x-acs-date` (V3) set to `value`, as each family lets a caller set it. */
function timestamp(family: Family, value: string): SdkCall {
  return takesCommonParams(family)
    ? { query: { ...instance, Timestamp: value } }
    : { query: instance, headers: { 'x-acs-date': value } }
}

/** `SignatureNonce` (V1) or `x-acs-signature-nonce` (V3) set to `value`. */
function nonce(family: Family, value: string): SdkCall {
  return takesCommonParams(family)
    ? { query: { ...instance, SignatureNonce: value } }
    : { query: instance, headers: { 'x-acs-signature-nonce': value } }
}

export const STEERED_SDK_CASES: readonly SdkErrorCase[] = [
  {
    name: 'temporary AccessKey configured without its SecurityToken',
    principal: 'temporaryWithoutToken',
    call: { query: instance },
    code: 'MissingSecurityToken',
    status: 400,
  },
  {
    name: `more than ${MAX_PARAMS_PER_REQUEST} parameters`,
    principal: 'admin',
    call: {
      query: {
        ...instance,
        ...Object.fromEntries(
          Array.from({ length: MAX_PARAMS_PER_REQUEST }, (_, i) => [`Extra${i}`, 'x'])
        ),
      },
    },
    code: 'InvalidParameter.Format',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Detail']), /parameters/),
  },
  {
    name: `nonce longer than ${MAX_NONCE_LENGTH} characters`,
    principal: 'admin',
    call: (family) => nonce(family, 'n'.repeat(MAX_NONCE_LENGTH + 1)),
    code: 'InvalidParameter.Format',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Detail']), /nonce/i),
  },
  {
    // pop-core: an endpoint URL with a query of its own, which pop-core keeps before its own
    // parameters (GET) or beside its form body (POST); openapi: the query and a form body.
    name: 'InstanceId twice (endpoint query or form body beside the query)',
    principal: 'admin',
    call: (family) =>
      isPopCore(family)
        ? { query: instance, endpointQuery: `InstanceId=${UP_INSTANCE}` }
        : { query: instance, body: instance },
    code: 'InvalidParameter.Duplicate',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Message']), /InstanceId/),
  },
  {
    name: 'form body over the 1 MiB limit',
    principal: 'admin',
    families: ['pop-core POST', 'openapi-client V3', 'openapi-client v2', 'openapi-core V3'],
    call: (family) => {
      const big = { ConsoleContext: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) }
      return isPopCore(family) ? { query: { ...instance, ...big } } : { query: instance, body: big }
    },
    code: 'RequestBodyTooLarge',
    status: 413,
  },
  {
    name: 'method PUT',
    principal: 'admin',
    families: ['pop-core GET', 'openapi-client V3', 'openapi-client v2', 'openapi-core V3'],
    call: { query: instance, method: 'PUT' },
    code: 'UnsupportedHTTPMethod',
    status: 400,
    check: (failure) => assert.match(String(failure.data['Detail']), /^PUT \//),
  },
  {
    // pop-core signs whatever SignatureVersion it is given; openapi sends no signature at all
    // for authType Anonymous.
    name: 'SignatureVersion 2.0 (pop-core) or no signature (openapi Anonymous)',
    principal: 'admin',
    call: (family) =>
      isPopCore(family)
        ? { query: { ...instance, SignatureVersion: '2.0' } }
        : { query: instance, anonymous: true },
    code: 'IncompleteSignature',
    status: 400,
  },
  {
    name: 'SignatureMethod HMAC-SHA256 (pop-core) or algorithm ACS3-HMAC-SM3 (openapi V3)',
    principal: 'admin',
    families: ['pop-core GET', 'pop-core POST', 'openapi-client V3', 'openapi-core V3'],
    call: (family) =>
      isPopCore(family)
        ? { query: { ...instance, SignatureMethod: 'HMAC-SHA256' } }
        : { query: instance, signatureAlgorithm: 'ACS3-HMAC-SM3' },
    code: 'InvalidSignatureMethod',
    status: 400,
  },
  {
    name: 'time stamp with milliseconds',
    principal: 'admin',
    call: (family) => timestamp(family, new Date().toISOString()),
    code: 'InvalidTimeStamp.Format',
    status: 400,
  },
  {
    name: "the client's own time stamp, 20 minutes behind the server's clock",
    principal: 'admin',
    server: 'clockAhead',
    call: { query: instance },
    code: 'InvalidTimeStamp.Expired',
    status: 400,
  },
  {
    name: 'the same nonce twice',
    principal: 'admin',
    twice: true,
    call: (family) => nonce(family, randomBytes(16).toString('hex')),
    code: 'SignatureNonceUsed',
    status: 400,
  },
  {
    name: `SecurityToken over ${MAX_SECURITY_TOKEN_LENGTH} characters`,
    principal: 'oversizedToken',
    call: { query: instance },
    code: 'InvalidSecurityToken.Malformed',
    status: 400,
  },
  {
    // One request per 100 s per AccessKey: the first call spends the key's token (or was
    // refused already), the second is refused whatever came before.
    name: 'a second call within the AccessKey rate limit',
    principal: 'admin',
    server: 'oneCallPerKey',
    twice: true,
    call: { query: instance },
    code: 'Throttling.User',
    status: 400,
    check: (failure) => {
      assert.match(String(failure.data['Detail']), /with this AccessKey/)
    },
  },
]
