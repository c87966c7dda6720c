import { Redis } from 'ioredis'
import { CollectTimeoutError } from '../errors.ts'
import { OWN_CONNECTION_NAME } from '../sessions/client-session.ts'
import { AUTH } from './commands/auth.ts'
import { CLIENT_SETNAME } from './commands/client-setname.ts'
import type { ConnectionOptions } from './connection-options.ts'
import { isAuthArity, isNoPasswordConfigured, toCoreError } from './connection-errors.ts'
import { formatAddress, type NodeAddress } from './node-address.ts'
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
 * Connects to one node, authenticates, and names the connection `redis-sessions`
 * (`CLIENT SETNAME`, under the renamed name when `clientCommand` is set). Rejects with
 * a coded CoreError (connection-errors.ts); the socket is closed on every failure.
 *
 * The connection speaks **RESP2**: it works from Redis 5.0 on (HELLO is 6.0+), needs no
 * `+hello` permission, CLIENT LIST is a plain bulk string (no `txt:` verbatim prefix)
 * and CLUSTER SHARDS / SENTINEL replies are flat arrays on every version. ioredis' own
 * handshake (AUTH, SETNAME, SETINFO, INFO ready check) is switched off and done here,
 * because ioredis swallows SETNAME errors and reports an AUTH failure only as an
 * `error` event followed by "Connection is closed.". No offline queue, no retries, no
 * reconnects: a failure is reported, never hidden behind a retry.
 * `connectTimeoutMs` bounds connect + TLS + AUTH + SETNAME together; `commandTimeoutMs`
 * bounds each later command.
 */
export async function openConnection(
  address: NodeAddress,
  options: ConnectionOptions
): Promise<NodeConnection> {
  const node = formatAddress(address)
  const redis = new Redis(clientOptions(address, options))
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
    await authenticate(redis, node, options)
    CLIENT_SETNAME.parse(await connection.call(CLIENT_SETNAME.args(OWN_CONNECTION_NAME)), node)
  })()
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // A TLS client on a plaintext port waits for a ServerHello that never comes.
      const hint = options.tls === undefined ? '' : ' (TLS on: is this a TLS port?)'
      const message = `${node}: connect and authenticate took longer than ${options.connectTimeoutMs} ms${hint}`
      reject(new CollectTimeoutError(message, node))
    }, options.connectTimeoutMs)
  })
  try {
    await Promise.race([handshake, expired])
    return connection
  } catch (error) {
    handshake.catch(() => undefined) // settles after the close below; already reported
    redis.disconnect()
    throw toCoreError(error, { node, command: 'connect', timeoutMs: options.connectTimeoutMs })
  } finally {
    clearTimeout(timer)
  }
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
      redis.disconnect()
      // disconnect() ends the socket gracefully and waits up to 2 s for a stalled peer (a
      // paused node) before destroying it; we never need the rest of a reply, so drop it now.
      redis.stream?.destroy()
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
