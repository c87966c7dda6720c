/**
 * Run by scripts/test.sh after the whole suite, never with it: every log the suite's servers
 * wrote (`.tmp/test-logs/*.log`: in-process servers' pino files, `serve` children's stdout and
 * stderr) is searched for every secret the suite recorded (`.tmp/test-logs/secrets.txt`: admin and
 * user AccessKey secrets, console and Redis passwords, master keys, SecurityTokens). A hit names
 * the file and what the secret is, never the secret itself. Also searched: each secret
 * percent-encoded, as a URL or a form body would carry it.
 */
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { readRecordedSecrets, SECRETS_FILE } from '../support/secrets.ts'
import { TEST_LOG_DIR } from '../support/test-logs.ts'

/** Below this many, the suite did not run (or recorded nothing): the check would prove nothing. */
const MIN_SECRETS = 10
const MIN_LOG_FILES = 10

/** The forms a secret can take in a log line besides itself. */
function formsOf(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
  return [...forms]
}

void describe('after the suite: no log holds a secret', () => {
  void it('searches every log of the suite for every secret it used', async () => {
    const secrets = readRecordedSecrets()
    assert.ok(
      secrets.length >= MIN_SECRETS,
      `only ${secrets.length} secrets recorded in ${SECRETS_FILE}: run the whole suite first (npm test)`
    )
    const files = (await readdir(TEST_LOG_DIR)).filter((name) => name.endsWith('.log')).sort()
    assert.ok(files.length >= MIN_LOG_FILES, `only ${files.length} log files in ${TEST_LOG_DIR}`)
    const found: string[] = []
    let bytes = 0
    let lines = 0
    for (const name of files) {
      const text = await readFile(join(TEST_LOG_DIR, name), 'utf8')
      bytes += text.length
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++
      for (const secret of secrets) {
        if (formsOf(secret.value).some((form) => text.includes(form))) {
          found.push(`${name} contains the ${secret.what}`)
        }
      }
    }
    process.stdout.write(
      `# logs hold no secret: ${secrets.length} secrets searched in ${files.length} files ` +
        `(${lines} lines, ${(bytes / 1024 / 1024).toFixed(1)} MiB)\n`
    )
    assert.ok(lines > 0, 'the logs are empty: the servers did not log to .tmp/test-logs')
    assert.deepEqual(found, [], 'secrets found in the logs (values not shown)')
  })
})
