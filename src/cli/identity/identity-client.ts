import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { pino } from 'pino'
import type { AnyAction } from '../../api/actions/action.ts'
import { IDENTITY_ACTIONS } from '../../api/actions/identity/actions.ts'
import { toApiError } from '../../api/rpc/to-api-error.ts'
import type { Services } from '../../api/services.ts'
import { DEFAULT_IDLE_THRESHOLD_SECONDS } from '../../core/insights/session-insights.ts'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../core/redis/connection-options.ts'
import { createServices } from '../../server/create-services.ts'
import type { Store } from '../../store/store.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { renderTable, type Column } from '../format/text-table.ts'
import { DATA_DIR_OPTION_HELP, localCall, withLocalStore } from '../local-store.ts'
import { createRemoteClient, ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'

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
  return withLocalStore({ dataDir: options.dataDir, env: process.env }, ({ store }) =>
    work({ call: (action, params = {}) => localCall(() => runLocally(store, action, params)) })
  )
}

/**
 * Who local changes are audited as: `local:<OS user>`. The `:` never occurs in a user name,
 * so this caller is nobody in the store (a policy cannot be attached to it, and
 * `CreateAccessKey` without `UserName` finds no user).
 */
export function localCallerName(): string {
  try {
    return `local:${userInfo().username}`
  } catch {
    // No passwd entry (some containers): still say that the change was made locally.
    return 'local:cli'
  }
}

const ACTIONS = new Map<string, AnyAction>(IDENTITY_ACTIONS.map((action) => [action.name, action]))

/**
 * One action on the local store, as the RPC pipeline runs it minus signature and RAM (whoever
 * can open the store file and its master key is an administrator), audited the same way.
 */
async function runLocally(
  store: Store,
  name: string,
  params: Readonly<Record<string, string>>
): Promise<unknown> {
  const action = ACTIONS.get(name)
  if (action === undefined) throw new Error(`${name} is not an identity action`)
  const requestId = randomUUID().toUpperCase()
  const caller = {
    accessKeyId: '',
    userName: localCallerName(),
    scheme: 'V3' as const,
    temporary: false,
    mfaPresent: false,
  }
  const audit = async (
    result: string,
    detail: Record<string, string | number | boolean | null>
  ) => {
    if (!action.audited) return
    await store.audit.append({
      time: Date.now(),
      requestId,
      userName: caller.userName,
      accessKeyId: '',
      sourceIp: 'local',
      action: name,
      result,
      detail,
    })
  }
  try {
    const prepared = action.prepare(new Map(Object.entries(params)))
    const outcome = await prepared.run({
      requestId,
      caller,
      sourceIp: 'local',
      services: localServices(store),
    })
    await audit('Success', { ...outcome.audit })
    if (!('dataJson' in outcome)) return outcome.data
    const data: unknown = JSON.parse(outcome.dataJson.toString())
    return data
  } catch (error) {
    // The code the server would log for the same failure (EntityNotExist, InvalidParams, …).
    await audit(toApiError(error).code, {})
    throw error
  }
}

/**
 * The server's services over the local store. Identity actions use only the store and the clock:
 * they connect to no Redis and list no sessions, and no signature or rate limit applies here, so
 * the defaults do for the rest.
 */
function localServices(store: Store): Services {
  return createServices(
    store,
    {
      nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS,
      resultCacheMs: 0,
      idleThresholdSeconds: DEFAULT_IDLE_THRESHOLD_SECONDS,
      rateLimitPerSecond: 0,
    },
    { logger: pino({ level: 'silent' }) }
  )
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
