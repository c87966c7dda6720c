import { Redis } from 'ioredis'
import { CollectTimeoutError } from '../errors.ts'
import { OWN_CONNECTION_NAME } from '../sessions/client-session.ts'
import { AUTH } from './commands/auth.ts'
import { CLIENT_SETNAME } from './commands/client-setname.ts'
import { HELLO } from './commands/hello.ts'
import type { ConnectionOptions } from './connection-options.ts'
import {
  isAuthArity,
  isAuthFailure,
  isNoPasswordConfigured,
  isReplyError,
  toCoreError,
} from './connection-errors.ts'
import { formatAddress, type NodeAddress } from './node-address.ts'
import { trackOwnConnection } from './own-connections.ts'
import { replyText } from './reply.ts'

/** One open connection to one node, named `redis-sessions` on the server. */
export interface NodeConnection {
  /** `host:port`, `[v6]:port` or the socket path: the name errors use. */
  readonly node: string
  /** Sends one command (canonical name first: `CLIENT`, not its rename) and returns the raw reply. */
  call(args: readonly string[]): Promise<unknown>
  /** Like `call`, for a bulk or verbatim string reply, returned as one string without `txt:`. */
  callText(args: readonly string[]): Promise<string>
  /** Like `call`, with bulk strings left as Buffers (no UTF-8 decoding of a 16 MB reply). */
  callBytes(args: readonly string[]): Promise<unknown>
  /** Closes the socket at once; pending commands fail. Safe to call twice. */
  close(): void
}

// Container commands whose first argument is a subcommand: errors name both (`CLUSTER SHARDS`).
const CONTAINERS = new Set(['CLIENT', 'CLUSTER', 'SENTINEL', 'CONFIG', 'ACL', 'COMMAND'])

/**
 * Connects to one node, authenticates, and names the connection `redis-sessions` (`HELLO 2
 * AUTH … SETNAME` on 6.0+, else `AUTH` and `CLIENT SETNAME` under the renamed name when
 * `clientCommand` is set). It counts as the service's own from its first byte
 * (own-connections.ts), so it is never listed nor killed while still unnamed. Rejects with
 * a coded CoreError (connection-errors.ts); the socket is closed on every failure.
 *
 * The connection speaks **RESP2** (`HELLO 2`, or no HELLO at all): it works from Redis 5.0 on,
 * needs no `+hello` permission (a refused HELLO falls back), CLIENT LIST is a plain bulk string (no `txt:` verbatim prefix)
 * and CLUSTER SHARDS / SENTINEL replies are flat arrays on every version. ioredis' own
 * handshake (AUTH, SETNAME, SETINFO, INFO ready check) is switched off and done here,
 * because ioredis swallows SETNAME errors and reports an AUTH failure only as an
 * `error` event followed by "Connection is closed.". No offline queue, no retries, no
 * reconnects: a failure is reported, never hidden behind a retry.
 * `connectTimeoutMs` bounds connect + TLS + AUTH + SETNAME together; `commandTimeoutMs`
 * bounds each later command. `signal` (an overall deadline) abandons the attempt early: the
 * promise rejects with the signal's reason. On every failure the socket is destroyed at once,
 * so a node that accepts and never answers holds nothing open past the timeout.
 */
export async function openConnection(
  address: NodeAddress,
  options: ConnectionOptions,
  signal?: AbortSignal
): Promise<NodeConnection> {
  signal?.throwIfAborted()
  const node = formatAddress(address)
  const redis = new Redis(clientOptions(address, options))
  // Ours from the moment its socket exists: listings and kills leave it alone even before
  // the handshake has named it (own-connections.ts).
  const untrack = trackOwnConnection(node, () => redis.stream)
  redis.once('end', untrack)
  let firstError: unknown
  // The first error event holds the real cause (ECONNREFUSED, TLS, RESP garbage); the
  // rejection that follows only says "Connection is closed.".
  redis.on('error', (error: unknown) => {
    firstError ??= error
  })
  const connection = createConnection(redis, node, options)
  const handshake = (async () => {
    try {
      await redis.connect()
    } catch (error) {
      throw toCoreError(firstError ?? error, {
        node,
        command: 'connect',
        timeoutMs: options.connectTimeoutMs,
      })
    }
    await identify(redis, connection, node, options)
  })()
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // A TLS client on a plaintext port waits for a ServerHello that never comes.
      const hint = options.tls === undefined ? '' : ' (TLS on: is this a TLS port?)'
      const message = `${node}: connect and authenticate took longer than ${options.connectTimeoutMs} ms${hint}`
      reject(new CollectTimeoutError(message, node))
    }, options.connectTimeoutMs)
    onAbort = () => {
      const reason: unknown = signal?.reason
      reject(reason instanceof Error ? reason : new Error('connection abandoned'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([handshake, expired])
    return connection
  } catch (error) {
    handshake.catch(() => undefined) // settles after the close below; already reported
    destroy(redis)
    untrack()
    throw toCoreError(error, { node, command: 'connect', timeoutMs: options.connectTimeoutMs })
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Closes the connection's socket now. `disconnect()` alone only ends it gracefully and keeps
 * it (and the process) alive until the peer closes too, up to `disconnectTimeout`: a paused or
 * black-hole node never does. We never need the rest of a reply, so the socket is destroyed.
 */
function destroy(redis: Redis): void {
  redis.disconnect()
  redis.stream?.destroy()
}

/**
 * Authenticates and names the connection: `HELLO 2 [AUTH …] SETNAME redis-sessions` on 6.0+, so
 * the name lands with the authentication, with `CLIENT SETNAME` pipelined behind it (one round
 * trip for both): HELLO's SETNAME needs no permission, and the second one still reports a
 * `CLIENT` that is renamed, disabled or not permitted when the connection opens, as before.
 * When HELLO fails otherwise than on credentials (5.x: unknown command; renamed, refused by ACL
 * or a proxy), `AUTH` then `CLIENT SETNAME`. A credentials failure of HELLO is final.
 */
async function identify(
  redis: Redis,
  connection: NodeConnection,
  node: string,
  options: ConnectionOptions
): Promise<void> {
  const { username, password } = options
  const auth =
    username === undefined && password === undefined
      ? undefined
      : { username, password: password ?? '' }
  const setName = async () =>
    CLIENT_SETNAME.parse(await connection.call(CLIENT_SETNAME.args(OWN_CONNECTION_NAME)), node)
  const [hello, named] = await Promise.allSettled([
    redis.call('HELLO', HELLO.args(OWN_CONNECTION_NAME, auth).slice(1)),
    setName(),
  ])
  if (hello.status === 'fulfilled') {
    HELLO.parse(hello.value, node)
    if (named.status === 'rejected') throw named.reason
    return
  }
  if (!isReplyError(hello.reason) || isAuthFailure(hello.reason)) {
    throw toCoreError(hello.reason, { node, command: 'HELLO', timeoutMs: options.commandTimeoutMs })
  }
  await authenticate(redis, node, options)
  await setName()
}

async function authenticate(redis: Redis, node: string, options: ConnectionOptions): Promise<void> {
  const { username, password } = options
  if (username === undefined && password === undefined) return
  try {
    AUTH.parse(await redis.call('AUTH', AUTH.args(password ?? '', username).slice(1)), node)
  } catch (error) {
    // A password for a server without one: ioredis and redis-cli carry on too.
    if (isNoPasswordConfigured(error)) return
    if (isAuthArity(error)) {
      throw toCoreError(new Error('ACL user names need Redis 6.0 or later'), {
        node,
        command: 'AUTH',
        timeoutMs: options.connectTimeoutMs,
      })
    }
    throw toCoreError(error, { node, command: 'AUTH', timeoutMs: options.commandTimeoutMs })
  }
}

function createConnection(redis: Redis, node: string, options: ConnectionOptions): NodeConnection {
  const clientName = options.clientCommand ?? 'CLIENT'
  const send = async (args: readonly string[], bytes: boolean): Promise<unknown> => {
    const [name, ...rest] = args
    if (name === undefined) throw new TypeError('call() needs a command')
    const sent = name.toUpperCase() === 'CLIENT' ? clientName : name
    try {
      return await (bytes ? redis.callBuffer(sent, rest) : redis.call(sent, rest))
    } catch (error) {
      throw toCoreError(error, { node, command: label(args), timeoutMs: options.commandTimeoutMs })
    }
  }
  const call = (args: readonly string[]) => send(args, false)
  return {
    node,
    call,
    callBytes: (args) => send(args, true),
    async callText(args) {
      const reply = await call(args)
      // A RESP3 verbatim string arrives as a String object whose value has no `txt:`.
      if (reply instanceof String) return reply.valueOf()
      return replyText(reply, node, label(args))
    },
    close() {
      destroy(redis)
    },
  }
}

function clientOptions(address: NodeAddress, options: ConnectionOptions) {
  const where =
    address.kind === 'tcp' ? { host: address.host, port: address.port } : { path: address.path }
  const tls = options.tls
  return {
    ...where,
    lazyConnect: true,
    protocol: 2 as const,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    disableClientInfo: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    // A socket ended before `redis.stream` is set (within the tick that creates it) is
    // destroyed on the next timer tick instead of after 2 s.
    disconnectTimeout: 0,
    ...(tls === undefined
      ? {}
      : {
          tls: {
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.servername === undefined ? {} : { servername: tls.servername }),
            ...(tls.rejectUnauthorized === undefined
              ? {}
              : { rejectUnauthorized: tls.rejectUnauthorized }),
          },
        }),
  }
}

/** `CLUSTER SHARDS`, `INFO`, `AUTH`: the name errors show; never the arguments (AUTH!). */
function label(args: readonly string[]): string {
  const name = (args[0] ?? '').toUpperCase()
  const sub = args[1]
  return CONTAINERS.has(name) && sub !== undefined ? `${name} ${sub.toUpperCase()}` : name
}
