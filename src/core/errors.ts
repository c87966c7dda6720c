/**
 * Domain errors of the core (docs/style.md §5). Each names the node it concerns as
 * `host:port` (never credentials) and keeps the underlying error as `cause`.
 * Every error has a stable `code` that the API mapper and the CLI translate.
 */

/** Stable codes of core failures, used by the API (`Nodes[].Error.Code`) and the CLI. */
export type CoreErrorCode =
  | 'ConnectFailed'
  | 'AuthFailed'
  | 'TlsFailed'
  | 'Timeout'
  | 'NoPermission'
  | 'CommandDisabled'
  | 'ReplyError'
  | 'ReplyParseError'
  | 'TopologyDiscoveryFailed'
  | 'InvalidRedisUrl'
  | 'NotRedis'
  | 'NodeUnavailable'

/** Base class: a message safe to show to an operator, a code, the node. */
export class CoreError extends Error {
  readonly code: CoreErrorCode
  /** `host:port` or socket path of the node concerned, when there is one. */
  readonly node: string | undefined

  constructor(code: CoreErrorCode, message: string, node?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CoreError'
    this.code = code
    this.node = node
  }
}

/** Could not connect, authenticate or complete a TLS handshake with a node. */
export class RedisConnectError extends CoreError {
  constructor(
    code: 'ConnectFailed' | 'AuthFailed' | 'TlsFailed' | 'NotRedis',
    message: string,
    node: string,
    options?: { cause?: unknown }
  ) {
    super(code, message, node, options)
    this.name = 'RedisConnectError'
  }
}

/** A node answered a command with an error reply (`-ERR`, `-NOPERM`, …). */
export class RedisReplyError extends CoreError {
  readonly command: string
  constructor(
    code: 'ReplyError' | 'NoPermission' | 'CommandDisabled',
    message: string,
    node: string,
    command: string,
    options?: { cause?: unknown }
  ) {
    super(code, message, node, options)
    this.name = 'RedisReplyError'
    this.command = command
  }
}

/** A reply did not have the documented format. Carries the line number and the start of the bad line. */
export class ReplyParseError extends CoreError {
  readonly command: string
  /** 1-based line number in the reply, 0 when the reply as a whole is wrong. */
  readonly line: number
  /** At most 200 characters of the offending text. */
  readonly excerpt: string
  constructor(message: string, node: string, command: string, line: number, excerpt: string) {
    super('ReplyParseError', message, node)
    this.name = 'ReplyParseError'
    this.command = command
    this.line = line
    this.excerpt = excerpt.slice(0, 200)
  }
}

/** A node did not answer within its time budget. */
export class CollectTimeoutError extends CoreError {
  constructor(message: string, node: string) {
    super('Timeout', message, node)
    this.name = 'CollectTimeoutError'
  }
}

/** No seed answered well enough to learn the deployment's nodes. */
export class TopologyDiscoveryError extends CoreError {
  constructor(message: string, options?: { cause?: unknown; node?: string }) {
    super('TopologyDiscoveryFailed', message, options?.node, options)
    this.name = 'TopologyDiscoveryError'
  }
}

/** A `redis://` URL or endpoint that does not parse. Never echoes the password. */
export class InvalidRedisUrlError extends CoreError {
  constructor(message: string) {
    super('InvalidRedisUrl', message)
    this.name = 'InvalidRedisUrlError'
  }
}

/** Discovery reported the node unusable (cluster `fail`/`handshake`, sentinel `s_down`): not asked. */
export class NodeUnavailableError extends CoreError {
  constructor(message: string, node: string) {
    super('NodeUnavailable', message, node)
    this.name = 'NodeUnavailableError'
  }
}
