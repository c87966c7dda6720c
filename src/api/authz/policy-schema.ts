/**
 * The grammar of protocol.md §12 as zod schemas, strict: unknown fields are errors, lists are a
 * string or a non-empty array, condition values are parsed to their operator's type
 * (condition-schema.ts). The output is the normalised PolicyDocument.
 */
import { z } from 'zod'
import { conditionSchema } from './condition-schema.ts'
import type { PatternList, PolicyDocument, PolicyStatement } from './policy-document.ts'
import { list, objectError, orRequired } from './schema-helpers.ts'

/** `*`, or `<service>:<ActionName>` where both parts may hold `*` / `?`. */
const ACTION = /^(?:\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/
/** `*`, or `acs:<service>:<region>:<account>:<relative-id>`; the relative id may contain `:`. */
const RESOURCE = /^(?:\*|acs:[A-Za-z0-9*?-]+:[^:\s]*:[^:\s]*:\S+)$/

const actionPattern = z
  .string({ error: 'must be a string' })
  .regex(ACTION, 'not an action: expected "*" or <service>:<Action>, e.g. hdm:GetRedisAllSession')
const resourcePattern = z
  .string({ error: 'must be a string' })
  .regex(RESOURCE, 'not a resource: expected "*" or acs:<service>:<region>:<account>:<resource>')

/** Exactly one of `<name>` / `Not<name>`, as a PatternList; adds an issue otherwise. */
function pickOne(
  positive: string[] | undefined,
  negative: string[] | undefined,
  name: 'Action' | 'Resource',
  ctx: z.RefinementCtx
): PatternList | undefined {
  if (positive !== undefined && negative !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [`Not${name}`],
      message: `not allowed together with ${name}`,
    })
    return undefined
  }
  if (positive !== undefined) return { negated: false, patterns: positive }
  if (negative !== undefined) return { negated: true, patterns: negative }
  ctx.addIssue({ code: 'custom', path: [], message: `needs ${name} or Not${name}` })
  return undefined
}

const statementSchema = z
  .strictObject(
    {
      Sid: z.string({ error: 'must be a string' }).optional(),
      Effect: z.enum(['Allow', 'Deny'], { error: orRequired('must be "Allow" or "Deny"') }),
      Action: list(actionPattern, 'an action').optional(),
      NotAction: list(actionPattern, 'an action').optional(),
      Resource: list(resourcePattern, 'a resource').optional(),
      NotResource: list(resourcePattern, 'a resource').optional(),
      Condition: conditionSchema.optional(),
    },
    { error: objectError('a statement object') }
  )
  .transform((raw, ctx): PolicyStatement => {
    const action = pickOne(raw.Action, raw.NotAction, 'Action', ctx)
    const resource = pickOne(raw.Resource, raw.NotResource, 'Resource', ctx)
    if (action === undefined || resource === undefined) return z.NEVER
    const conditions = raw.Condition ?? []
    return { sid: raw.Sid, effect: raw.Effect, action, resource, conditions }
  })

/** The whole document: `{"Version": "1", "Statement": [ … ]}`. */
export const policyDocumentSchema: z.ZodType<PolicyDocument> = z
  .strictObject(
    {
      Version: z.literal('1', { error: orRequired('must be "1"') }),
      Statement: z
        .array(statementSchema, { error: orRequired('must be an array of statements') })
        .min(1, 'must contain at least one statement'),
    },
    { error: objectError('a JSON object') }
  )
  .transform((raw) => ({ version: raw.Version, statements: raw.Statement }))
