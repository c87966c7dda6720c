/**
 * The RAM-style policy document (protocol.md §12, "Grammar"): its parsed, normalised form and the
 * one function that turns untrusted JSON text into it. The grammar itself is policy-schema.ts.
 */
import type { ConditionFamily, OperatorOf } from './condition-operators.ts'
import type { IpRange } from './ip-range.ts'
import { formatFirstIssue } from './format-issue.ts'
import { policyDocumentSchema } from './policy-schema.ts'

/**
 * Longest document accepted, in characters of the submitted text (whitespace included). RAM's
 * CreatePolicy documents "1 to 6,144 characters"; a cap also bounds the work of parsing and of
 * every later evaluation.
 */
export const MAX_POLICY_DOCUMENT_LENGTH = 6144

/** Action/NotAction or Resource/Resource: the patterns as written, and whether it is the `Not` form. */
export interface PatternList {
  readonly negated: boolean
  /** Non-empty; each `*` or a glob (`*` any run, `?` one character). */
  readonly patterns: readonly string[]
}

/**
 * One `operator: { key: values }` entry; values are already parsed to their family's type (Date:
 * milliseconds since the epoch; Ip: ranges with IPv4-mapped IPv6 turned into IPv4).
 */
export type PolicyCondition =
  | ConditionOf<'String', string>
  | ConditionOf<'Numeric', number>
  | ConditionOf<'Date', number>
  | ConditionOf<'Bool', boolean>
  | ConditionOf<'Ip', IpRange>

interface ConditionOf<F extends ConditionFamily, V> {
  readonly family: F
  readonly operator: OperatorOf<F>
  /** The key as written, e.g. `acs:SourceIp`; matched case-insensitively at evaluation. */
  readonly key: string
  /** Non-empty; the condition holds when the context value matches any of them. */
  readonly values: readonly V[]
}

/** One statement; `conditions` is empty when it has no Condition block. */
export interface PolicyStatement {
  readonly sid: string | undefined
  readonly effect: 'Allow' | 'Deny'
  readonly action: PatternList
  readonly resource: PatternList
  /** All must hold (operators AND, keys AND). */
  readonly conditions: readonly PolicyCondition[]
}

/** A validated policy document. Treat it as immutable: evaluation caches per object. */
export interface PolicyDocument {
  readonly version: '1'
  /** Non-empty. */
  readonly statements: readonly PolicyStatement[]
}

/** Error codes of {@link PolicyDocumentError}. */
export type PolicyDocumentErrorCode = 'MalformedPolicyDocument' | 'PolicyDocumentTooLong'

/**
 * A policy document was rejected. `message` is one line, `<path>: <reason>`, e.g.
 * `Statement[1].Condition.IpAddress.acs:SourceIp[0]: not an IP address or CIDR`; `path` is
 * `document` when the problem is the whole text.
 */
export class PolicyDocumentError extends Error {
  readonly code: PolicyDocumentErrorCode
  /** JSON path of the offending value, e.g. `Statement[0].Action[2]`. */
  readonly path: string
  /** What is wrong with it, without the path. */
  readonly reason: string

  constructor(
    code: PolicyDocumentErrorCode,
    path: string,
    reason: string,
    options?: { cause?: unknown }
  ) {
    super(`${path}: ${reason}`, options)
    this.name = 'PolicyDocumentError'
    this.code = code
    this.path = path
    this.reason = reason
  }
}

/**
 * Parses and validates a policy document. Throws {@link PolicyDocumentError} (and nothing else)
 * naming the first problem found.
 */
export function parsePolicyDocument(json: string): PolicyDocument {
  if (json.length > MAX_POLICY_DOCUMENT_LENGTH) {
    const reason = `${json.length} characters, the limit is ${MAX_POLICY_DOCUMENT_LENGTH}`
    throw new PolicyDocumentError('PolicyDocumentTooLong', 'document', reason)
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    // V8 quotes a piece of the input, which may span lines: keep the reason on one line.
    const detail = error instanceof Error ? ` (${error.message.replace(/\s+/g, ' ')})` : ''
    throw new PolicyDocumentError(
      'MalformedPolicyDocument',
      'document',
      `not valid JSON${detail}`,
      {
        cause: error,
      }
    )
  }
  const result = policyDocumentSchema.safeParse(value)
  if (result.success) return result.data
  const { path, reason } = formatFirstIssue(result.error.issues)
  throw new PolicyDocumentError('MalformedPolicyDocument', path, reason, { cause: result.error })
}
