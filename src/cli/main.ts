import { Command, CommanderError } from 'commander'
import { describeError, EXIT_FAILURE } from './cli-error.ts'
import { endQuietlyWhenOutputCloses } from './output.ts'

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

/** Shown after the command list of `redis-sessions --help`. */
const GENERAL_HELP = `
Exit codes: 0 success, 1 partial result (the failed nodes on stderr), 2 failure (one line on
stderr). Output cut short by its reader (a closed pipe, e.g. | head) ends the command quietly
with the code it had so far. Tables fit the terminal, or COLUMNS when set; a pipe gets every
column.`

/** `redis-sessions <command>`: parses arguments, dispatches, turns errors into one line + exit code 2. */
export async function main(argv: readonly string[]): Promise<void> {
  endQuietlyWhenOutputCloses()
  const program = new Command('redis-sessions')
    .description('every client session of a Redis or Valkey deployment')
    .addHelpText('after', GENERAL_HELP)
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
    // The code first: if stderr is a closed pipe, the quiet exit still reports the failure.
    process.exitCode = EXIT_FAILURE
    process.stderr.write(`redis-sessions: ${describeError(error)}\n`)
  }
}

await main(process.argv.slice(2))
