/**
 * Sessions from several source addresses on one machine: Linux routes all of 127.0.0.0/8 to
 * loopback, so a socket bound to 127.0.0.7 shows in CLIENT LIST as client 127.0.0.7. Plain RESP
 * over node:net (CLIENT SETNAME, SELECT), no client library.
 */
import { connect, type Socket } from 'node:net'

/** One session to open. */
export interface RawSessionSpec {
  /** Local address to connect from, e.g. `127.0.0.7`. */
  source: string
  name: string
  db?: number
}

/** Open sessions and how to close them. */
export interface RawSessions {
  close(): void
}

/** Opens every session of `specs` to `127.0.0.1:port`; resolves once each has its name. */
export async function openRawSessions(
  port: number,
  specs: readonly RawSessionSpec[]
): Promise<RawSessions> {
  const sockets: Socket[] = []
  const close = () => {
    for (const socket of sockets) socket.destroy()
  }
  try {
    await Promise.all(specs.map(async (spec) => sockets.push(await open(port, spec))))
  } catch (error) {
    close()
    throw error
  }
  return { close }
}

function open(port: number, spec: RawSessionSpec): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: spec.source })
    const commands = [
      ['CLIENT', 'SETNAME', spec.name],
      ...(spec.db ? [['SELECT', String(spec.db)]] : []),
    ]
    let replies = ''
    socket.once('error', reject)
    socket.once('connect', () => socket.write(commands.map(resp).join('')))
    socket.on('data', (chunk) => {
      replies += chunk.toString('utf8')
      if (replies.startsWith('-')) reject(new Error(`${spec.name}: ${replies.trim()}`))
      else if ((replies.match(/\+OK\r\n/g) ?? []).length === commands.length) resolve(socket)
    })
  })
}

function resp(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`
}
