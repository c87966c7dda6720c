/**
 * Errors of the store (docs/style.md §5). Each carries a stable `code` that the API mapper
 * and the CLI translate; messages name what is wrong but never echo a secret.
 */

/** Stable codes of store failures. */
export type StoreErrorCode =
  | 'StoreConflict'
  | 'StoreNotFound'
  | 'StoreInvalidInput'
  | 'StoreMigrationFailed'
  | 'StoreCorrupt'
  | 'SecretDecryptFailed'
  | 'MasterKeyInvalid'
  | 'StoreUnavailable'

/** Base class of every error the store throws on purpose. */
export class StoreError extends Error {
  readonly code: StoreErrorCode

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
    this.code = code
  }
}

/** A name or id that must be unique already exists (user, policy, key, instance, attachment). */
export class StoreConflictError extends StoreError {
  /** What kind of thing collided: `user`, `policy`, `accessKey`, `instance`, `attachment`. */
  readonly entity: string
  constructor(entity: string, message: string, options?: { cause?: unknown }) {
    super('StoreConflict', message, options)
    this.name = 'StoreConflictError'
    this.entity = entity
  }
}

/** The thing named does not exist. */
export class StoreNotFoundError extends StoreError {
  /** What kind of thing is missing: `user`, `policy`, `accessKey`, `instance`, … */
  readonly entity: string
  constructor(entity: string, message: string, options?: { cause?: unknown }) {
    super('StoreNotFound', message, options)
    this.name = 'StoreNotFoundError'
    this.entity = entity
  }
}

/** An argument the store refuses (bad name format, page size, negative count, …). */
export class StoreInvalidInputError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('StoreInvalidInput', message, options)
    this.name = 'StoreInvalidInputError'
  }
}

/** A sealed secret could not be opened: wrong master key, or the text was altered. */
export class SecretDecryptError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SecretDecryptFailed', message, options)
    this.name = 'SecretDecryptError'
  }
}

/** The master key (environment or key file) is malformed. The message never contains it. */
export class MasterKeyError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MasterKeyInvalid', message, options)
    this.name = 'MasterKeyError'
  }
}

/** A stored row does not have the shape the store writes (edited by hand, or a newer schema). */
export class StoreCorruptError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('StoreCorrupt', message, options)
    this.name = 'StoreCorruptError'
  }
}

/** The store cannot serve at all right now (its database file cannot be opened, was removed or replaced). */
export class StoreUnavailableError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('StoreUnavailable', message, options)
    this.name = 'StoreUnavailableError'
  }
}
