import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type Socket } from 'node:net'

/** A TCP port that accepts connections and never answers or closes them. */
export interface BlackHole {
  port: number
  /** Connections accepted so far. */
  accepted(): number
  close(): Promise<void>
}

/**
 * Starts a server on 127.0.0.1 that accepts every connection and never sends a byte nor
 * closes its side, even once the client ends its own (`allowHalfOpen`): a firewall or a
 * stopped process as a client sees it.
 */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted++
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {
    port: address.port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The client sockets this process opened since `watchClientSockets` was called. */
export interface ClientSocketWatch {
  readonly sockets: Socket[]
  /** The watched sockets not destroyed yet. */
  open(): Socket[]
  stop(): void
}

/** Every client socket the process opens from now on (Node's `net.client.socket` channel). */
export function watchClientSockets(): ClientSocketWatch {
  const sockets: Socket[] = []
  const onSocket = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket
    if (socket !== undefined) sockets.push(socket)
  }
  subscribe('net.client.socket', onSocket)
  return {
    sockets,
    open: () => sockets.filter((socket) => !socket.destroyed),
    stop: () => unsubscribe('net.client.socket', onSocket),
  }
}
