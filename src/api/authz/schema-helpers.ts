/**
 * Small zod helpers shared by the policy grammar: the RAM list shape and messages that tell a
 * missing field from a wrong one. Messages are the reasons shown to users after the JSON path.
 */
import { z } from 'zod'

/** Error map: `is required` when the field is absent, otherwise `reason`. */
export const orRequired = (reason: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : reason

/** Error map for strict objects: names unknown keys, missing objects and non-objects. */
export const objectError =
  (what: string, unknownKey = 'unknown field') =>
  (issue: { code?: string; input: unknown }) =>
    issue.code === 'unrecognized_keys' ? unknownKey : orRequired(`must be ${what}`)(issue)

/** `"x"` or `["x", …]` (non-empty), always output as an array. */
export function list<T>(item: z.ZodType<T>, what: string): z.ZodType<T[]> {
  return z.union(
    [
      item.transform((value) => [value]),
      z.array(item).min(1, `must not be empty: give ${what} or an array of them`),
    ],
    { error: orRequired(`must be ${what} or a non-empty array of them`) }
  )
}
