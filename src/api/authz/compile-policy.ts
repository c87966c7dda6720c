/**
 * Turns a PolicyDocument into closures once, so that evaluation is string tests and comparisons
 * only. Compiled forms are cached per document object (documents are immutable values).
 */
import { CONDITION_OPERATORS, type ConditionTest } from './condition-operators.ts'
import { keyReader, numericValue, type RequestFacts } from './condition-keys.ts'
import { compileGlobs, type GlobMatcher } from '../../core/filter/glob.ts'
import { ipInRange } from './ip-range.ts'
import type { PatternList, PolicyCondition, PolicyDocument } from './policy-document.ts'

/** A condition compiled against the request facts. */
export type ConditionCheck = (facts: RequestFacts) => boolean

/** One statement, ready to evaluate. */
export interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny'
  /** Takes the request action already lower-cased: actions match case-insensitively. */
  readonly matchesAction: GlobMatcher
  /** Case-sensitive: resource ids are identifiers (see docs/policies.md). */
  readonly matchesResource: GlobMatcher
  /** All must hold. */
  readonly conditions: readonly ConditionCheck[]
}

const cache = new WeakMap<PolicyDocument, readonly CompiledStatement[]>()

/** The compiled statements of a document, compiled on first use. */
export function compilePolicy(document: PolicyDocument): readonly CompiledStatement[] {
  let compiled = cache.get(document)
  if (compiled === undefined) {
    compiled = document.statements.map((statement) => ({
      effect: statement.effect,
      matchesAction: compilePatterns(statement.action, (pattern) => pattern.toLowerCase()),
      matchesResource: compilePatterns(statement.resource, (pattern) => pattern),
      conditions: statement.conditions.map(compileCondition),
    }))
    cache.set(document, compiled)
  }
  return compiled
}

function compilePatterns(list: PatternList, fold: (pattern: string) => string): GlobMatcher {
  const match = compileGlobs(list.patterns.map(fold))
  return list.negated ? (input) => !match(input) : match
}

/**
 * Values are ORed. A negated operator is the exact negation of its positive twin, so, like AWS,
 * it holds when the key is absent (or has no value of the operator's type): `StringNotEquals`
 * on a key the request lacks is true, `StringEquals` on it is false.
 */
function compileCondition(condition: PolicyCondition): ConditionCheck {
  const { test, negated } = CONDITION_OPERATORS[condition.operator]
  const positive = compilePositive(condition, test)
  return negated ? (facts) => !positive(facts) : positive
}

const never: ConditionCheck = () => false

function compilePositive(condition: PolicyCondition, test: ConditionTest): ConditionCheck {
  const reader = keyReader(condition.key)
  if (reader === undefined) return never
  switch (condition.family) {
    case 'String': {
      if (test === 'like') {
        const match = compileGlobs(condition.values)
        return (facts) => {
          const text = reader.text(facts)
          return text !== undefined && match(text)
        }
      }
      const ignoreCase = test === 'equalsIgnoreCase'
      const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text)
      const values = new Set(condition.values.map(fold))
      return (facts) => {
        const text = reader.text(facts)
        return text !== undefined && values.has(fold(text))
      }
    }
    case 'Numeric': {
      const { values } = condition
      return (facts) => someCompare(numericValue(reader.text(facts)), test, values)
    }
    case 'Date': {
      const { date } = reader
      if (date === undefined) return never
      const { values } = condition
      return (facts) => someCompare(date(facts), test, values)
    }
    case 'Bool': {
      const { bool } = reader
      if (bool === undefined) return never
      const { values } = condition
      return (facts) => values.includes(bool(facts))
    }
    case 'Ip': {
      const { ip } = reader
      if (ip === undefined) return never
      const { values } = condition
      return (facts) => {
        const address = ip(facts)
        return address !== undefined && values.some((range) => ipInRange(address, range))
      }
    }
  }
}

/** True when `actual <test> value` for some value; false when there is no actual value. */
function someCompare(actual: number | undefined, test: ConditionTest, values: readonly number[]) {
  if (actual === undefined) return false
  return values.some((value) => compare(actual, test, value))
}

function compare(actual: number, test: ConditionTest, value: number): boolean {
  switch (test) {
    case 'lessThan':
      return actual < value
    case 'lessThanEquals':
      return actual <= value
    case 'greaterThan':
      return actual > value
    case 'greaterThanEquals':
      return actual >= value
    case 'equals':
    case 'equalsIgnoreCase':
    case 'like':
    case 'inRange':
      return actual === value
  }
}
