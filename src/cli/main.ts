import { Command, CommanderError } from 'commander'
import { ConfigError } from '../config/load-config.ts'
import { CoreError } from '../core/errors.ts'
import { InvalidFilterError } from '../core/filter/session-filter.ts'
import { CliError, EXIT_FAILURE } from './cli-error.ts'

type Register = (program: Command) => void

/**
 * Each command's module, loaded only when that command runs: `sessions redis://…` must not
 * pay for the server, the store and the HTTP client (the full set costs ≈ 0.5 s of start-up
 * on these machines; a CLI user and `npm run bench` feel it on every call).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  sessions: async () => (await import('./commands/sessions.ts')).registerSessions,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  instances: async () => (await import('./commands/instances.ts')).registerInstances,
  kill: async () => (await import('./commands/kill.ts')).registerKill,
  audit: async () => (await import('./commands/audit.ts')).registerAudit,
  history: async () => (await import('./commands/history.ts')).registerHistory,
  users: async () => (await import('./commands/users.ts')).registerUsers,
  keys: async () => (await import('./commands/keys.ts')).registerKeys,
  policies: async () => (await import('./commands/policies.ts')).registerPolicies,
}

/** `redis-sessions <command>`: parses arguments, dispatches, turns errors into one line + exit code 2. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('redis-sessions')
    .description('every client session of a Redis or Valkey deployment')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
  // The named command alone, or every command for help and unknown names.
  const only = argv[0] === undefined ? undefined : COMMANDS[argv[0]]
  const loaders = only === undefined ? Object.values(COMMANDS) : [only]
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program)
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
