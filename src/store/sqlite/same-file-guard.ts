import { statSync } from 'node:fs'
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'
import { StoreUnavailableError } from '../errors.ts'

/**
 * Refuses every query once the database file at `file` is no longer the one that was opened
 * (deleted or replaced under the running server). SQLite would go on writing to the unlinked
 * inode and every confirmed write would be lost at the next start; refusing turns that into
 * `ServiceUnavailable` answers and a failing /healthz until the server is restarted.
 * Costs one stat() per query (≈ 5 µs).
 */
export class SameFileGuard implements KyselyPlugin {
  readonly #file: string
  readonly #identity: string

  constructor(file: string) {
    this.#file = file
    this.#identity = identityOf(file) ?? ''
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const now = identityOf(this.#file)
    if (now !== this.#identity) {
      throw new StoreUnavailableError(
        now === undefined
          ? `the database file ${this.#file} was removed; restart the server`
          : `the database file ${this.#file} was replaced; restart the server`
      )
    }
    return args.node
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result)
  }
}

function identityOf(file: string): string | undefined {
  try {
    const stats = statSync(file)
    return `${stats.dev}:${stats.ino}`
  } catch {
    return undefined
  }
}
