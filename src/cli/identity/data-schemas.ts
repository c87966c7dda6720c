import { z } from 'zod'
import { CliError } from '../cli-error.ts'

/**
 * The `Data` of the identity actions (src/api/actions/identity/present.ts), checked before
 * the CLI prints it: a remote server's answer is untrusted input.
 */
export const USER = z.object({
  UserName: z.string(),
  CreateDate: z.string(),
  HasLoginProfile: z.boolean(),
})
export const USER_PAGE = z.object({
  Users: z.object({ User: z.array(USER) }),
  IsTruncated: z.boolean(),
  Marker: z.string().optional(),
})
export const ACCESS_KEY = z.object({
  AccessKeyId: z.string(),
  UserName: z.string(),
  Status: z.string(),
  CreateDate: z.string(),
})
export const NEW_ACCESS_KEY = z.object({
  AccessKey: z.object({ AccessKeyId: z.string(), AccessKeySecret: z.string() }),
})
export const ACCESS_KEYS = z.object({ AccessKeys: z.object({ AccessKey: z.array(ACCESS_KEY) }) })
export const POLICY = z.object({
  PolicyName: z.string(),
  PolicyType: z.string(),
  Description: z.string(),
  CreateDate: z.string(),
})
export const POLICY_PAGE = z.object({
  Policies: z.object({ Policy: z.array(POLICY) }),
  IsTruncated: z.boolean().optional(),
  Marker: z.string().optional(),
})

/** `data` checked against `schema`, or a CliError naming where it differs. */
export function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`
  throw new CliError(`the server's answer has an unexpected shape${where}`)
}

/**
 * Every item of a RAM-style paged List action (`Marker`/`MaxItems`), following markers until
 * `IsTruncated` is false.
 */
export async function readAllPages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[]; marker: string | undefined }>
): Promise<T[]> {
  const items: T[] = []
  let marker: string | undefined
  do {
    const next = await page(marker)
    items.push(...next.items)
    // A marker that does not advance would loop forever: stop instead.
    marker = next.marker !== undefined && next.marker !== marker ? next.marker : undefined
  } while (marker !== undefined)
  return items
}
