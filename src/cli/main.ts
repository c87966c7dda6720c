import { Command, CommanderError } from 'commander'
import { ConfigError } from '../config/load-config.ts'
import { CoreError } from '../core/errors.ts'
import { InvalidFilterError } from '../core/filter/session-filter.ts'
import { CliError, EXIT_FAILURE } from './cli-error.ts'
import { registerAudit } from './commands/audit.ts'
import { registerHistory } from './commands/history.ts'
import { registerInstances } from './commands/instances.ts'
import { registerKill } from './commands/kill.ts'
import { registerKeys } from './commands/keys.ts'
import { registerPolicies } from './commands/policies.ts'
import { registerServe } from './commands/serve.ts'
import { registerSessions } from './commands/sessions.ts'
import { registerUsers } from './commands/users.ts'

/** `redis-sessions <command>`: parses arguments, dispatches, turns errors into one line + exit code 2. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('redis-sessions')
    .description('every client session of a Redis or Valkey deployment')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
  registerSessions(program)
  registerServe(program)
  registerInstances(program)
  registerKill(program)
  registerAudit(program)
  registerHistory(program)
  registerUsers(program)
  registerKeys(program)
  registerPolicies(program)
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_FAILURE
      return
    }
    process.stderr.write(`redis-sessions: ${oneLine(error)}\n`)
    process.exitCode = EXIT_FAILURE
  }
}

function oneLine(error: unknown): string {
  if (
    error instanceof CliError ||
    error instanceof CoreError ||
    error instanceof InvalidFilterError ||
    error instanceof ConfigError
  ) {
    return error.message.replace(/\s*\n\s*/g, '; ')
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return `${error.code}: ${error.message.split('\n', 1)[0] ?? ''}`
  }
  // Unexpected: one line, never a stack trace (which could carry connection details).
  return `unexpected error: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}`
}

await main(process.argv.slice(2))
