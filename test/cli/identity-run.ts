import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CliResult } from './run-cli.ts'

/**
 * Shared by identity-local.test.ts and identity-remote.test.ts: the CLI run with a chosen
 * environment and standard input (passwords come from stdin, AccessKeys from the environment),
 * which `runCli` does not offer.
 */
const BIN = fileURLToPath(new URL('../../bin/redis-sessions.js', import.meta.url))
/** The server's admin AccessKey in the --endpoint tests. */
export const ADMIN = { id: 'LTAIcliIdentityAdmin01', secret: 'cli-identity-admin-secret-012345' }
/** `keys create --json` output, exactly as contract §8 prints it. */
export const KEY_JSON =
  /^\{"AccessKeyId": "(LTAI[0-9A-Za-z]{20})", "AccessKeySecret": "([0-9A-Za-z]{30})"\}\n$/
/** A policy allowing `ram:ListUsers` only. */
export const DOCUMENT = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*' }],
})

/** Runs the built CLI with exactly `env` (plus PATH) and `stdin`; kills it after 60 s. */
export async function run(
  args: string[],
  env: Record<string, string> = {},
  stdin = ''
): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // A command that exits without reading stdin closes the pipe: EPIPE is expected then.
  child.stdin.on('error', () => undefined)
  child.stdin.end(stdin)
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c: number | null, s: NodeJS.Signals | null) => resolve([c, s]))
  ).finally(() => clearTimeout(timer))
  return { code, signal, stdout, stderr }
}

/** Runs the CLI and asserts exit 0 and an empty stderr; returns stdout. */
export async function ok(
  args: string[],
  env: Record<string, string> = {},
  stdin = ''
): Promise<string> {
  const result = await run(args, env, stdin)
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
  assert.equal(result.stderr, '')
  return result.stdout
}

/** Parses `--json` list output: an array of objects. */
export function jsonArray(text: string): Record<string, unknown>[] {
  const value: unknown = JSON.parse(text)
  assert.ok(Array.isArray(value))
  return value.map((item: unknown) => {
    assert.ok(typeof item === 'object' && item !== null && !Array.isArray(item))
    return Object.fromEntries(Object.entries(item))
  })
}
