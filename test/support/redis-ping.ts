import { connect } from 'node:net'

/**
 * Sends `AUTH` (when a password is given) and `PING` over a raw socket and resolves with the reply
 * lines. A ready server answers `+PONG`; a loading one `-LOADING …`. Rejects on connection errors and
 * after `timeoutMs`. Raw RESP keeps readiness checks free of client-library reconnect logic.
 */
export function pingReplies(
  port: number,
  options: { host?: string; password?: string | undefined; timeoutMs?: number } = {}
): Promise<string[]> {
  const commands: string[][] = []
  if (options.password !== undefined) commands.push(['AUTH', options.password])
  commands.push(['PING'])
  const payload = commands.map(encodeCommand).join('')
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port })
    let buffer = ''
    const finish = (error: Error | undefined): void => {
      socket.destroy()
      if (error === undefined) resolve(buffer.split('\r\n').filter((l) => l !== ''))
      else reject(error)
    }
    socket.setTimeout(options.timeoutMs ?? 2000, () =>
      finish(new Error(`PING to ${port} timed out`))
    )
    socket.on('error', finish)
    socket.once('connect', () => socket.write(payload))
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      // Every reply here is a single simple-string or error line.
      if (buffer.split('\r\n').length > commands.length) finish(undefined)
    })
  })
}

/** True when the server answers `+PONG` (after authenticating with `password`, if any). */
export async function isReady(port: number, password?: string): Promise<boolean> {
  const replies = await pingReplies(port, { password })
  return replies.at(-1) === '+PONG'
}

function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
}
