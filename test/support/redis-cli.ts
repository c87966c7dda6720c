import { execFile } from 'node:child_process'

/** Where and as whom `redis-cli` connects. */
export interface RedisCliTarget {
  host: string
  port: number
  password?: string | undefined
  user?: string | undefined
}

/** Options for one `redis-cli` run. */
export interface RedisCliOptions {
  /** `--json` output (RESP3 maps become objects; add `resp2: true` for arrays). */
  json?: boolean
  resp2?: boolean
  /** Kills redis-cli after this long; a paused server would otherwise hang the test. Default 15 s. */
  timeoutMs?: number
}

/** `REDIS_CLI_BIN` or `redis-cli` from PATH. */
export const REDIS_CLI_BIN = process.env['REDIS_CLI_BIN'] ?? 'redis-cli'

/**
 * Runs one command with `redis-cli -e` and returns its stdout. Rejects on connection failures and on
 * error replies (`-e` turns them into exit code 1), with redis-cli's own message.
 * The password travels in `REDISCLI_AUTH`, not argv, so it stays out of `ps` and out of warnings.
 */
export function runRedisCli(
  target: RedisCliTarget,
  args: readonly string[],
  options: RedisCliOptions = {}
): Promise<string> {
  const argv = ['-h', target.host, '-p', String(target.port), '-e']
  if (target.user !== undefined) argv.push('--user', target.user)
  if (options.json === true) argv.push('--json')
  if (options.resp2 === true) argv.push('-2')
  argv.push(...args)
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env['REDISCLI_AUTH']
  if (target.password !== undefined) env['REDISCLI_AUTH'] = target.password
  return new Promise((resolve, reject) => {
    execFile(
      REDIS_CLI_BIN,
      argv,
      { env, timeout: options.timeoutMs ?? 15_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return resolve(stdout)
        const detail = `${stderr}${stdout}`.trim() || error.message
        reject(
          new Error(`redis-cli ${args.join(' ')} @${target.port}: ${detail}`, { cause: error })
        )
      }
    )
  })
}

/** Parses `INFO`-style `key:value` lines into a map (comments and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0 || line.startsWith('#')) continue
    fields.set(line.slice(0, colon), line.slice(colon + 1).trim())
  }
  return fields
}
