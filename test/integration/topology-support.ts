import assert from 'node:assert/strict'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { inspect } from 'node:util'
import { CoreError, type CoreErrorCode } from '../../src/core/errors.ts'
import type { ConnectionOptions } from '../../src/core/redis/connection-options.ts'
import type { NodeAddress } from '../../src/core/redis/node-address.ts'
import type { DeploymentSpec, Topology, TopologyKind } from '../../src/core/topology/topology.ts'

/** Generous for loaded CI machines; the bad-input tests use their own short ones. */
export const CONNECTION: ConnectionOptions = { connectTimeoutMs: 5000, commandTimeoutMs: 5000 }

/** The value, or a failed assertion naming what is missing (set up in a `before` hook). */
export function required<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}

/** The TCP address of a harness server. */
export function tcp(server: { port: number }): NodeAddress {
  return { kind: 'tcp', host: '127.0.0.1', port: server.port }
}

/** A DeploymentSpec with the defaults the tests share. */
export function spec(
  kind: TopologyKind | 'auto',
  endpoints: NodeAddress[],
  extra: Partial<DeploymentSpec> = {}
): DeploymentSpec {
  return { instanceId: 'r-test', kind, endpoints, connection: CONNECTION, ...extra }
}

/** `[nodeId, role, port we connect to, skipReason]` per node, in topology order. */
export function summary(topology: Topology): Array<[string, string, number, string | undefined]> {
  return topology.nodes.map((n) => [
    n.nodeId,
    n.role,
    n.address.kind === 'tcp' ? n.address.port : 0,
    n.skipReason,
  ])
}

/**
 * Asserts what every failure must look like: a CoreError with the code, one line, naming the node
 * and the cause, and no password anywhere in it or in its cause chain.
 */
export function assertOperatorError(
  error: unknown,
  expected: { code: CoreErrorCode; node?: string; cause: RegExp; secret?: string }
): true {
  assert.ok(error instanceof CoreError, `not a CoreError: ${inspect(error)}`)
  assert.equal(error.code, expected.code, error.message)
  assert.ok(!/[\r\n]/.test(error.message), `more than one line: ${error.message}`)
  if (expected.node !== undefined) assert.ok(error.message.includes(expected.node), error.message)
  assert.match(error.message, expected.cause)
  if (expected.secret !== undefined) {
    const everything = inspect(error, { depth: 10, showHidden: true })
    assert.ok(!everything.includes(expected.secret), `password leaked: ${everything}`)
  }
  return true
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected a rejection')
}

/** A plain TCP server on 127.0.0.1:0 that handles each socket with `onSocket`. */
export async function startTcpServer(
  onSocket: (socket: Socket) => void
): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    count++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    onSocket(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return {
    port: address.port,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A TCP forwarder to `target` (a stand-in for NAT): counts the connections made through it. */
export async function startForwarder(target: { port: number }) {
  return await startTcpServer((socket) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target.port })
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
    socket.pipe(upstream).pipe(socket)
  })
}
