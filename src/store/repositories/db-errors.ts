import {
  StoreConflictError,
  StoreError,
  StoreInvalidInputError,
  StoreNotFoundError,
} from '../errors.ts'

/**
 * Constraint violations as the two drivers report them: better-sqlite3 sets `code` to
 * `SQLITE_CONSTRAINT_*`, node-postgres to the SQLSTATE (class 23). Matching on codes, never
 * on message text (docs/style.md §8 #4).
 */
const KINDS: Record<string, 'unique' | 'foreignKey' | 'check'> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
  SQLITE_CONSTRAINT_CHECK: 'check',
  '23505': 'unique',
  '23503': 'foreignKey',
  '23514': 'check',
}

function constraintKind(err: unknown): 'unique' | 'foreignKey' | 'check' | undefined {
  if (err instanceof StoreError) return undefined // ours, already meaningful
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return undefined
  return KINDS[err.code]
}

/**
 * Runs `fn`, turning a constraint violation into the store's own error: a duplicate into
 * `StoreConflictError`, a dangling reference (the row it needs was deleted meanwhile) into
 * `StoreNotFoundError`, a CHECK into `StoreInvalidInputError`. Other errors pass through.
 */
export async function translateDbErrors<T>(entity: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    switch (constraintKind(err)) {
      case 'unique':
        throw new StoreConflictError(entity, `${entity} already exists`, { cause: err })
      case 'foreignKey':
        throw new StoreNotFoundError(entity, `a record that ${entity} refers to does not exist`, {
          cause: err,
        })
      case 'check':
        throw new StoreInvalidInputError(`${entity} violates a value constraint`, { cause: err })
      case undefined:
        throw err
    }
  }
}
