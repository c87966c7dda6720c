import { CollectTimeoutError, CoreError, RedisConnectError, RedisReplyError } from '../errors.ts'

/**
 * Maps what the client library and the server report to the coded errors of
 * errors.ts. This is the one place that reads library and server error texts: the
 * library gives no codes for them, the server only its first word (`NOPERM`, `ERR`).
 * Messages are one line `<node>: <cause>`; causes are rebuilt from the message and
 * code only, because library errors carry the command arguments (AUTH's password).
 */

// Node system error codes that mean "no such host / nobody listening / no route".
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
])

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOENT: 'no socket at this path',
  EACCES: 'permission denied on the socket',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
}

/** Where a failure happened, for the message. */
export interface FailureContext {
  /** `host:port` or socket path. */
  node: string
  /** The command's canonical name (`CLIENT LIST`); never its arguments. */
  command: string
  /** The time budget that ran out when the failure is a timeout, ms. */
  timeoutMs: number
}

/** The CoreError for a failure while connecting, authenticating or running a command. */
export function toCoreError(error: unknown, context: FailureContext): CoreError {
  const { node, command, timeoutMs } = context
  if (error instanceof CoreError) return error
  const message = firstLine(error instanceof Error ? error.message : String(error))
  const code = errorCode(error)
  const cause = { cause: safeCause(error, message, code) }
  if (error instanceof Error && error.name === 'ReplyError') {
    return fromReply(message, node, command, cause)
  }
  if (code === 'ETIMEDOUT') {
    return new CollectTimeoutError(`${node}: connect timed out after ${timeoutMs} ms`, node)
  }
  if (message === 'Command timed out') {
    return new CollectTimeoutError(`${node}: no reply to ${command} within ${timeoutMs} ms`, node)
  }
  if (code !== undefined && isTlsCode(code)) {
    return new RedisConnectError('TlsFailed', `${node}: TLS failed: ${message}`, node, cause)
  }
  const resp = /^Unknown RESP type \d+ "(.)"/.exec(message)
  if (resp !== null) {
    const got = JSON.stringify(resp[1])
    return new RedisConnectError(
      'NotRedis',
      `${node}: not a Redis server (reply starts with ${got})`,
      node,
      cause
    )
  }
  if (/^(Connection is closed|Stream isn't writeable)/.test(message)) {
    return new RedisConnectError('ConnectFailed', `${node}: connection closed`, node, cause)
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    const what = DESCRIPTIONS[code] ?? 'cannot connect'
    return new RedisConnectError('ConnectFailed', `${node}: ${what} (${code})`, node, cause)
  }
  return new RedisConnectError('ConnectFailed', `${node}: ${message}`, node, cause)
}

function fromReply(
  message: string,
  node: string,
  command: string,
  cause: { cause: Error }
): CoreError {
  const space = message.indexOf(' ')
  const prefix = space < 0 ? message : message.slice(0, space)
  const server = message.slice(0, 200).trim()
  switch (prefix) {
    case 'WRONGPASS':
      return new RedisConnectError(
        'AuthFailed',
        `${node}: authentication failed: ${server}`,
        node,
        cause
      )
    case 'NOAUTH':
      return new RedisConnectError(
        'AuthFailed',
        `${node}: a password is required: ${server}`,
        node,
        cause
      )
    case 'NOPERM':
      return new RedisReplyError(
        'NoPermission',
        `${node}: no permission for ${command}: ${server}`,
        node,
        command,
        cause
      )
    case 'DENIED':
      return new RedisConnectError(
        'ConnectFailed',
        `${node}: connection denied: ${server}`,
        node,
        cause
      )
  }
  if (/^ERR (invalid password|invalid username-password pair)/i.test(message)) {
    return new RedisConnectError(
      'AuthFailed',
      `${node}: authentication failed: ${server}`,
      node,
      cause
    )
  }
  if (/^ERR unknown command/i.test(message)) {
    const hint = command.startsWith('CLIENT')
      ? ' (CLIENT renamed or disabled? the CLI takes its new name with --client-command)'
      : ''
    return new RedisReplyError(
      'CommandDisabled',
      `${node}: ${command} is not available${hint}: ${server}`,
      node,
      command,
      cause
    )
  }
  if (/^ERR unknown subcommand/i.test(message)) {
    return new RedisReplyError(
      'CommandDisabled',
      `${node}: ${command} is not available: ${server}`,
      node,
      command,
      cause
    )
  }
  return new RedisReplyError(
    'ReplyError',
    `${node}: ${command} failed: ${server}`,
    node,
    command,
    cause
  )
}

/** True for server texts that mean "AUTH sent, but this server has no password": harmless. */
export function isNoPasswordConfigured(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  // 6.0+: "…called without any password configured for the default user"; 5.0: "…no password is set".
  return /without any password configured|no password is set/i.test(message)
}

/** True for an error reply of the server (ioredis `ReplyError`), not a transport failure. */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError'
}

/**
 * True when the server refused the credentials or wants some (`WRONGPASS`, `NOAUTH`, 5.x
 * `invalid password`): the handshake stops there, another way to authenticate would fail alike.
 */
export function isAuthFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return /^(WRONGPASS|NOAUTH)\b|^ERR (invalid password|invalid username-password pair)/i.test(
    message
  )
}

/** True when AUTH with a user name reached a server older than 6.0 (no ACL users). */
export function isAuthArity(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return /wrong number of arguments for 'auth'/i.test(message)
}

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_)|CERT|SELF_SIGNED|UNABLE_TO_|HOSTNAME_MISMATCH/.test(code)
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

function safeCause(error: unknown, message: string, code: string | undefined): Error {
  const safe = new Error(message)
  safe.name = error instanceof Error ? error.name : 'Error'
  if (code !== undefined) Object.assign(safe, { code })
  return safe
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
