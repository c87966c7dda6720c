/**
 * The Condition block: `{ <operator>: { <key>: value | [values] } }`, each value parsed to its
 * operator's family (condition-operators.ts) and flattened to a PolicyCondition list.
 */
import { z } from 'zod'
import { NUMERIC_STRING, type OperatorOf } from './condition-operators.ts'
import { parseIpRange } from './ip-range.ts'
import type { PolicyCondition } from './policy-document.ts'
import { list, objectError, orRequired } from './schema-helpers.ts'

const CONDITION_KEY = /^[A-Za-z0-9-]+:\S+$/
const BOOLEAN = /^(?:true|false)$/i

const stringValue = z.string({ error: 'must be a string' })
const numberValue = z.union(
  [
    z.number(),
    z
      .string()
      .regex(NUMERIC_STRING, 'not a number')
      .transform(Number)
      .refine(Number.isFinite, 'number out of range'),
  ],
  { error: 'not a number' }
)
const dateValue = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'not an ISO 8601 date, e.g. 2025-01-31T18:00:00Z or 2025-01-31T18:00:00+08:00',
  })
  .transform((text) => Date.parse(text))
  .refine(Number.isFinite, 'not a valid date')
const boolValue = z.union(
  [
    z.boolean(),
    z
      .string()
      .regex(BOOLEAN, 'not a boolean: expected true or false')
      .transform((text) => text.toLowerCase() === 'true'),
  ],
  { error: 'not a boolean: expected true or false' }
)
const ipValue = z.string({ error: 'not an IP address or CIDR' }).transform((text, ctx) => {
  const range = parseIpRange(text)
  if (range !== undefined) return range
  ctx.addIssue({ code: 'custom', message: 'not an IP address or CIDR', input: text })
  return z.NEVER
})

/** `{ "<key>": value | [values] }` for one operator, at least one key. */
function keyValues<T>(value: z.ZodType<T>, what: string) {
  const key = z.string().regex(CONDITION_KEY, 'not a condition key: expected e.g. acs:SourceIp')
  return z
    .record(key, list(value, what), { error: orRequired('must be an object of condition keys') })
    .refine((keys) => Object.keys(keys).length > 0, 'must name at least one condition key')
    .transform((keys) => Object.entries(keys))
}

const stringOp = (operator: OperatorOf<'String'>) =>
  keyValues(stringValue, 'a string').transform((entries) =>
    entries.map(([key, values]): PolicyCondition => ({ family: 'String', operator, key, values }))
  )
const numericOp = (operator: OperatorOf<'Numeric'>) =>
  keyValues(numberValue, 'a number').transform((entries) =>
    entries.map(([key, values]): PolicyCondition => ({ family: 'Numeric', operator, key, values }))
  )
const dateOp = (operator: OperatorOf<'Date'>) =>
  keyValues(dateValue, 'a date').transform((entries) =>
    entries.map(([key, values]): PolicyCondition => ({ family: 'Date', operator, key, values }))
  )
const boolOp = (operator: OperatorOf<'Bool'>) =>
  keyValues(boolValue, 'a boolean').transform((entries) =>
    entries.map(([key, values]): PolicyCondition => ({ family: 'Bool', operator, key, values }))
  )
const ipOp = (operator: OperatorOf<'Ip'>) =>
  keyValues(ipValue, 'an IP address or CIDR').transform((entries) =>
    entries.map(([key, values]): PolicyCondition => ({ family: 'Ip', operator, key, values }))
  )

/** A Condition block, output as the list of its conditions (all must hold). */
export const conditionSchema = z
  .strictObject(
    {
      StringEquals: stringOp('StringEquals').optional(),
      StringNotEquals: stringOp('StringNotEquals').optional(),
      StringEqualsIgnoreCase: stringOp('StringEqualsIgnoreCase').optional(),
      StringNotEqualsIgnoreCase: stringOp('StringNotEqualsIgnoreCase').optional(),
      StringLike: stringOp('StringLike').optional(),
      StringNotLike: stringOp('StringNotLike').optional(),
      NumericEquals: numericOp('NumericEquals').optional(),
      NumericNotEquals: numericOp('NumericNotEquals').optional(),
      NumericLessThan: numericOp('NumericLessThan').optional(),
      NumericLessThanEquals: numericOp('NumericLessThanEquals').optional(),
      NumericGreaterThan: numericOp('NumericGreaterThan').optional(),
      NumericGreaterThanEquals: numericOp('NumericGreaterThanEquals').optional(),
      DateEquals: dateOp('DateEquals').optional(),
      DateNotEquals: dateOp('DateNotEquals').optional(),
      DateLessThan: dateOp('DateLessThan').optional(),
      DateLessThanEquals: dateOp('DateLessThanEquals').optional(),
      DateGreaterThan: dateOp('DateGreaterThan').optional(),
      DateGreaterThanEquals: dateOp('DateGreaterThanEquals').optional(),
      Bool: boolOp('Bool').optional(),
      IpAddress: ipOp('IpAddress').optional(),
      NotIpAddress: ipOp('NotIpAddress').optional(),
    },
    {
      error: objectError(
        'an object of condition operators',
        'unknown condition operator (names are case-sensitive, e.g. StringEquals, IpAddress)'
      ),
    }
  )
  .refine((ops) => Object.keys(ops).length > 0, 'must name at least one condition operator')
  .transform((ops) => Object.values(ops).flatMap((conditions) => conditions ?? []))
