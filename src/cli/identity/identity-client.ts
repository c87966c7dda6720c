import type { Command } from 'commander'
import type { AnyAction } from '../../api/actions/action.ts'
import { IDENTITY_ACTIONS } from '../../api/actions/identity/actions.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { renderTable, type Column } from '../format/text-table.ts'
import { DATA_DIR_OPTION_HELP, localCall, withLocalStore, type LocalStore } from '../local-store.ts'
import { createRemoteClient, ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'
import { dataOf, runLocalAction } from '../run-local-action.ts'

/** Calls one identity action and resolves to its `Data`, locally or on a server. */
export interface IdentityClient {
  call(action: string, params?: Readonly<Record<string, string>>): Promise<unknown>
}

/** Where the `users`/`keys`/`policies` commands act: `--data-dir` or `--endpoint`. */
export interface WhereOptions {
  dataDir?: string
  endpoint?: string
}

/**
 * Runs `work` with a client for the store or server the options name (contract §8): with an
 * endpoint (`--endpoint` or `REDIS_SESSIONS_ENDPOINT`), signed RPC calls; otherwise the local
 * store, opened once. Both run the same action code (`IDENTITY_ACTIONS`), so validation,
 * errors (`ApiCallError`) and the shape of `Data` are identical.
 */
export async function withIdentityClient<T>(
  options: WhereOptions,
  work: (client: IdentityClient) => Promise<T>
): Promise<T> {
  const target = remoteTargetFrom(options.endpoint, process.env)
  if (target !== undefined) return work(createRemoteClient(target))
  return withLocalStore({ dataDir: options.dataDir, env: process.env }, (local) =>
    work({ call: (action, params = {}) => localCall(() => runLocally(local, action, params)) })
  )
}

const ACTIONS = new Map<string, AnyAction>(IDENTITY_ACTIONS.map((action) => [action.name, action]))

/** One identity action on the local store, run and audited as every local change is. */
async function runLocally(
  local: LocalStore,
  name: string,
  params: Readonly<Record<string, string>>
): Promise<unknown> {
  const action = ACTIONS.get(name)
  if (action === undefined) throw new Error(`${name} is not an identity action`)
  return dataOf(await runLocalAction(local.store, local.config, action, params))
}

/** Adds `--data-dir` and `--endpoint`, the same on every identity command. */
export function withWhereOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
    .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
}

/** A table for the terminal (fitted to its width) or a pipe (all columns). */
export function printTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): void {
  const table = renderTable(rows, columns, terminalWidth(process.stdout, process.env))
  process.stdout.write(table.endsWith('\n') ? table : `${table}\n`)
}
