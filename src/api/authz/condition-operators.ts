/**
 * The condition operators of the RAM policy language (protocol.md §12, "Conditions"), one table
 * shared by the parser (which value type each operator takes) and the evaluator (how it compares).
 */

/** Value family of an operator: decides how its values are parsed and which context keys it reads. */
export type ConditionFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Ip'

/**
 * How one context value is compared with one policy value. `negated` operators are the logical NOT
 * of their positive twin (`StringNotEquals` = not `StringEquals`), so they hold when the key is
 * absent, like AWS (see evaluate-policy.ts).
 */
export type ConditionTest =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'like'
  | 'lessThan'
  | 'lessThanEquals'
  | 'greaterThan'
  | 'greaterThanEquals'
  | 'inRange'

interface OperatorSpec {
  readonly family: ConditionFamily
  readonly test: ConditionTest
  readonly negated: boolean
}

// Generic so that each table entry keeps its literal family (OperatorOf depends on it).
const spec = <F extends ConditionFamily>(family: F, test: ConditionTest, negated = false) => ({
  family,
  test,
  negated,
})

/** Every operator we accept, exactly as RAM spells it (case-sensitive). */
export const CONDITION_OPERATORS = {
  StringEquals: spec('String', 'equals'),
  StringNotEquals: spec('String', 'equals', true),
  StringEqualsIgnoreCase: spec('String', 'equalsIgnoreCase'),
  StringNotEqualsIgnoreCase: spec('String', 'equalsIgnoreCase', true),
  StringLike: spec('String', 'like'),
  StringNotLike: spec('String', 'like', true),
  NumericEquals: spec('Numeric', 'equals'),
  NumericNotEquals: spec('Numeric', 'equals', true),
  NumericLessThan: spec('Numeric', 'lessThan'),
  NumericLessThanEquals: spec('Numeric', 'lessThanEquals'),
  NumericGreaterThan: spec('Numeric', 'greaterThan'),
  NumericGreaterThanEquals: spec('Numeric', 'greaterThanEquals'),
  DateEquals: spec('Date', 'equals'),
  DateNotEquals: spec('Date', 'equals', true),
  DateLessThan: spec('Date', 'lessThan'),
  DateLessThanEquals: spec('Date', 'lessThanEquals'),
  DateGreaterThan: spec('Date', 'greaterThan'),
  DateGreaterThanEquals: spec('Date', 'greaterThanEquals'),
  Bool: spec('Bool', 'equals'),
  IpAddress: spec('Ip', 'inRange'),
  NotIpAddress: spec('Ip', 'inRange', true),
} as const satisfies Record<string, OperatorSpec>

/** Name of a condition operator. */
export type ConditionOperator = keyof typeof CONDITION_OPERATORS

/** The operators of one family, e.g. `OperatorOf<'Ip'>` = `'IpAddress' | 'NotIpAddress'`. */
export type OperatorOf<F extends ConditionFamily> = {
  [K in ConditionOperator]: (typeof CONDITION_OPERATORS)[K]['family'] extends F ? K : never
}[ConditionOperator]

/** Operator names in table order, for error messages and property tests. */
export const CONDITION_OPERATOR_NAMES = Object.keys(CONDITION_OPERATORS).filter(
  (name): name is ConditionOperator => Object.hasOwn(CONDITION_OPERATORS, name)
)

/** A number written as a string (`"42"`, `"-1.5"`, `"1e3"`); numeric policy values and keys. */
export const NUMERIC_STRING = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
