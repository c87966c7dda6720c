/**
 * The secrets the test suite used, one JSON line each in `.tmp/test-logs/secrets.txt`
 * (git-ignored), for test/after-suite/logs-hold-no-secret.test.ts: the fixtures that make or
 * choose AccessKey secrets, console and Redis passwords, master keys and SecurityTokens record
 * them here, and after the suite that test searches every log for each one.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TEST_LOG_DIR } from './test-logs.ts'

/** `.tmp/test-logs/secrets.txt`. */
export const SECRETS_FILE = join(TEST_LOG_DIR, 'secrets.txt')
/**
 * Shorter values are not recorded: a 5-character password would match ordinary log text and
 * prove nothing.
 */
export const MIN_SECRET_LENGTH = 8

/** One recorded secret: what it is (shown in failures) and its value (never shown). */
export interface RecordedSecret {
  what: string
  value: string
}

const recorded = new Set<string>()

/** Records `value` (once per process) as a secret; `what` names it in a failure message. */
export function recordSecret(what: string, value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || recorded.has(value)) return
  recorded.add(value)
  mkdirSync(TEST_LOG_DIR, { recursive: true })
  // One write of one line with O_APPEND: test files running at once do not interleave lines.
  appendFileSync(SECRETS_FILE, `${JSON.stringify({ what, value })}\n`)
}

/** Every secret recorded so far, by every process (deduplicated by value). */
export function readRecordedSecrets(): RecordedSecret[] {
  let text: string
  try {
    text = readFileSync(SECRETS_FILE, 'utf8')
  } catch {
    return []
  }
  const byValue = new Map<string, RecordedSecret>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const parsed: unknown = JSON.parse(line)
    if (typeof parsed !== 'object' || parsed === null) continue
    const what: unknown = Reflect.get(parsed, 'what')
    const value: unknown = Reflect.get(parsed, 'value')
    if (typeof what === 'string' && typeof value === 'string') byValue.set(value, { what, value })
  }
  return [...byValue.values()]
}
