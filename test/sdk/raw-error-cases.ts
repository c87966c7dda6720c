/** Every error row of docs/errors.md that a hand-built request can reach, one case or more each. */
import assert from 'node:assert/strict'
import { formatTimestamp } from '../../src/api/signature/timestamp.ts'
import type { ErrorWorld } from './error-world.ts'
import {
  replay,
  send,
  v1Request,
  v3Request,
  withoutToken,
  type Overrides,
  type V1Options,
  type V3Options,
} from './raw-request.ts'
import { UP_INSTANCE } from './sdk-error-cases.ts'
import { ADMIN } from './sdk-fixture.ts'

export interface RawErrorCase {
  readonly name: string
  readonly code: string
  readonly status: number
  /** Sends the request(s); the last response is the one checked. */
  readonly send: (world: ErrorWorld) => Promise<Response>
  readonly check?: (body: Record<string, unknown>) => void
}

const SIXTEEN_MINUTES_MS = 16 * 60 * 1000
const url = (world: ErrorWorld) => world.sdk.url
const v1 = (world: ErrorWorld, overrides: Overrides = {}, options: V1Options = {}) =>
  send(v1Request(url(world), ADMIN, { InstanceId: UP_INSTANCE, ...overrides }, options))
const v3 = (world: ErrorWorld, options: V3Options = {}) =>
  send(v3Request(url(world), ADMIN, UP_INSTANCE, options))
const detail = (pattern: RegExp) => (body: Record<string, unknown>) =>
  assert.match(String(body['Detail']), pattern)

export const RAW_ERROR_CASES: readonly RawErrorCase[] = [
  // Parameters
  {
    name: 'no Action anywhere',
    code: 'MissingAction',
    status: 400,
    send: (w) => v1(w, { Action: null }),
  },
  {
    name: 'V1 without SignatureNonce',
    code: 'MissingSignatureNonce',
    status: 400,
    send: (w) => v1(w, { SignatureNonce: null }),
  },
  {
    name: 'temporary AccessKey without its SecurityToken',
    code: 'MissingSecurityToken',
    status: 400,
    send: (w) => send(v3Request(url(w), withoutToken(w.temporary), UP_INSTANCE)),
  },
  ...(
    [
      ['malformed % escape', '&ConsoleContext=%zz', /percent escape/],
      ['bytes that are not UTF-8', '&ConsoleContext=%FF%FE', /UTF-8/],
      ['a parameter with an empty name', '&=value', /empty name/],
    ] as const
  ).map(([name, suffix, reason]) => ({
    name,
    code: 'InvalidParameter.Format',
    status: 400,
    send: (w: ErrorWorld) => v1(w, {}, { rawQuerySuffix: suffix }),
    check: detail(reason),
  })),
  {
    name: 'form body in another charset',
    code: 'InvalidParameter.Format',
    status: 400,
    send: (w) =>
      v1(
        w,
        {},
        { method: 'POST', contentType: 'application/x-www-form-urlencoded; charset=iso-8859-1' }
      ),
    check: detail(/charset/),
  },
  {
    name: 'nonce longer than 128 characters',
    code: 'InvalidParameter.Format',
    status: 400,
    send: (w) => v1(w, { SignatureNonce: 'n'.repeat(129) }),
    check: detail(/SignatureNonce/),
  },
  {
    name: 'InstanceId twice in the query',
    code: 'InvalidParameter.Duplicate',
    status: 400,
    send: (w) => v1(w, {}, { rawQuerySuffix: `&InstanceId=${UP_INSTANCE}` }),
    check: (body) => assert.match(String(body['Message']), /InstanceId/),
  },
  {
    name: 'InstanceId in the query and in the form body',
    code: 'InvalidParameter.Duplicate',
    status: 400,
    send: (w) => {
      const form = v1Request(url(w), ADMIN, { InstanceId: UP_INSTANCE }, { method: 'POST' })
      return send({ ...form, url: `${form.url}?InstanceId=${UP_INSTANCE}` })
    },
  },
  {
    name: 'body over the 1 MiB limit',
    code: 'RequestBodyTooLarge',
    status: 413,
    send: (w) =>
      send({
        method: 'POST',
        url: `${url(w)}/`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `ConsoleContext=${'x'.repeat(1024 * 1024)}`,
      }),
  },
  {
    name: 'extra unknown parameter (signed)',
    code: 'InvalidParams',
    status: 400,
    send: (w) => v3(w, { query: { InstanceId: UP_INSTANCE, PageSize: '10' } }),
    check: detail(/PageSize/),
  },
  {
    name: 'ConsoleContext over 4096 characters',
    code: 'InvalidParams',
    status: 400,
    send: (w) => v1(w, { ConsoleContext: 'c'.repeat(4097) }),
    check: detail(/ConsoleContext/),
  },
  // Method and path
  {
    name: 'unknown path',
    code: 'InvalidApi.NotFound',
    status: 404,
    send: (w) => send({ method: 'GET', url: `${url(w)}/v1/sessions?InstanceId=x`, headers: {} }),
  },
  ...['PUT', 'DELETE', 'PATCH'].map((method) => ({
    name: `${method} /`,
    code: 'UnsupportedHTTPMethod',
    status: 400,
    send: (w: ErrorWorld) => send({ ...v1Request(url(w), ADMIN, {}), method }),
  })),
  // Signature shape
  {
    name: 'no signature at all',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) => {
      const query = `Action=GetRedisAllSession&Version=2020-01-16&InstanceId=${UP_INSTANCE}`
      return send({ method: 'GET', url: `${url(w)}/?${query}`, headers: {} })
    },
    check: detail(/sign the request/),
  },
  {
    name: 'V3 with x-acs-date present but unsigned',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) =>
      v3(w, {
        headers: { 'x-acs-date': null },
        unsigned: { 'x-acs-date': formatTimestamp(new Date()) },
      }),
    check: detail(/x-acs-date/),
  },
  {
    name: 'V3 without x-acs-signature-nonce',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) => v3(w, { headers: { 'x-acs-signature-nonce': null } }),
    check: detail(/x-acs-signature-nonce/),
  },
  {
    name: 'V3 Authorization without SignedHeaders',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) => v3(w, { authorization: (a) => a.replace(/,SignedHeaders=[^,]*/, '') }),
    check: detail(/SignedHeaders/),
  },
  {
    name: 'V3 x-acs-accesskey-id other than the Credential',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) => v3(w, { headers: { 'x-acs-accesskey-id': 'LTAISomebodyElse' } }),
    check: detail(/x-acs-accesskey-id/),
  },
  {
    name: 'V1 SignatureVersion 2.0',
    code: 'IncompleteSignature',
    status: 400,
    send: (w) => v1(w, { SignatureVersion: '2.0' }),
    check: detail(/SignatureVersion/),
  },
  {
    name: 'V1 SignatureMethod HMAC-SHA256',
    code: 'InvalidSignatureMethod',
    status: 400,
    send: (w) => v1(w, { SignatureMethod: 'HMAC-SHA256' }),
  },
  {
    name: 'V3 algorithm ACS3-HMAC-SM3',
    code: 'InvalidSignatureMethod',
    status: 400,
    send: (w) => v3(w, { authorization: (a) => a.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3') }),
  },
  {
    name: 'V3 body other than its x-acs-content-sha256',
    code: 'InvalidContentSha256.Mismatch',
    status: 400,
    // content-type is signed; the body is sent but its hash is that of an empty body.
    send: (w) =>
      v3(w, { headers: { 'content-type': 'application/octet-stream' }, body: 'tampered' }),
  },
  {
    name: 'V1 parameter changed after signing',
    code: 'SignatureDoesNotMatch',
    status: 400,
    send: (w) => v1(w, {}, { tamper: { InstanceId: 'r-someone-else' } }),
    check: (body) => assert.match(String(body['Message']), /server string to sign is:GET&%2F&/),
  },
  {
    name: 'V3 query changed after signing',
    code: 'SignatureDoesNotMatch',
    status: 400,
    send: (w) => v3(w, { sentQuery: { InstanceId: 'r-someone-else' } }),
    check: (body) => assert.match(String(body['Message']), /server CanonicalRequest is \[POST\n/),
  },
  // Time stamp and nonce
  {
    name: 'V1 Timestamp with milliseconds',
    code: 'InvalidTimeStamp.Format',
    status: 400,
    send: (w) => v1(w, { Timestamp: new Date().toISOString() }),
  },
  {
    name: 'V3 x-acs-date on February 30',
    code: 'InvalidTimeStamp.Format',
    status: 400,
    send: (w) => v3(w, { headers: { 'x-acs-date': '2026-02-30T00:00:00Z' } }),
  },
  {
    name: 'V3 signed 16 minutes ago',
    code: 'InvalidTimeStamp.Expired',
    status: 400,
    send: (w) => v3(w, { now: new Date(Date.now() - SIXTEEN_MINUTES_MS) }),
  },
  {
    name: 'V1 signed 16 minutes ahead',
    code: 'InvalidTimeStamp.Expired',
    status: 400,
    send: (w) => v1(w, {}, { now: new Date(Date.now() + SIXTEEN_MINUTES_MS) }),
  },
  ...(['V3', 'V1'] as const).map((scheme) => ({
    name: `${scheme} request replayed`,
    code: 'SignatureNonceUsed',
    status: 400,
    send: (w: ErrorWorld) =>
      replay(
        scheme === 'V3'
          ? v3Request(url(w), ADMIN, UP_INSTANCE)
          : v1Request(url(w), ADMIN, { InstanceId: UP_INSTANCE })
      ),
  })),
  // Keys and tokens
  {
    name: 'revoked temporary credentials',
    code: 'InvalidAccessKeyId.NotFound',
    status: 404,
    send: (w) => send(v3Request(url(w), w.revokedTemporary, UP_INSTANCE)),
  },
  {
    name: 'inactive AccessKey (V1)',
    code: 'InvalidAccessKeyId.Inactive',
    status: 400,
    send: (w) => send(v1Request(url(w), w.principals.inactiveKey, { InstanceId: UP_INSTANCE })),
  },
  {
    name: 'SecurityToken over 8192 characters',
    code: 'InvalidSecurityToken.Malformed',
    status: 400,
    send: (w) =>
      send(v3Request(url(w), { ...w.temporary, securityToken: 't'.repeat(8193) }, UP_INSTANCE)),
  },
  {
    name: 'permanent AccessKey with a SecurityToken',
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
    send: (w) =>
      send(
        v1Request(url(w), { ...ADMIN, securityToken: 'CAIS-token' }, { InstanceId: UP_INSTANCE })
      ),
  },
  {
    name: 'expired temporary credentials (V1)',
    code: 'InvalidSecurityToken.Expired',
    status: 400,
    send: (w) =>
      send(v1Request(url(w), w.principals.expiredTemporary, { InstanceId: UP_INSTANCE })),
  },
]
