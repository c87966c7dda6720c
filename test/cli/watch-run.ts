import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { waitFor } from '../support/wait.ts'
import { startCli } from './run-cli.ts'

/** What `--watch` writes before each frame: cursor home, clear screen. */
const CLEAR = '\x1b[H\x1b[2J'

/** A running `redis-sessions … --watch N`, its stdout cut into frames. */
export interface WatchRun {
  readonly child: ChildProcess
  /** Frames complete so far (a frame is complete once the next one has begun). */
  frames(): string[]
  stderr(): string
  /**
   * Resolves with the first frame after the `after`-th (default: every frame so far) that
   * `matches`; fails naming `what` and the last frame if none comes within `timeoutMs`.
   */
  nextFrame(what: string, matches: (frame: string) => boolean, timeoutMs?: number): Promise<string>
  /** SIGTERM (the CLI's Ctrl-C is SIGINT; either ends it), and waits for the exit. */
  stop(): Promise<void>
}

/** Starts the CLI with `args` (which must include `--watch`). Stop it with `stop()`. */
export function startWatch(args: readonly string[]): WatchRun {
  const child = startCli(args)
  const { stdout, stderr } = child
  assert.ok(stdout !== null && stderr !== null)
  let out = ''
  let err = ''
  stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const frames = () => out.split(CLEAR).slice(1, -1)
  return {
    child,
    frames,
    stderr: () => err,
    async nextFrame(what, matches, timeoutMs = 20_000) {
      const seen = frames().length
      let found: string | undefined
      await waitFor(
        () => {
          if (child.exitCode !== null) {
            throw new Error(`the CLI exited (${child.exitCode}): ${err}${out.slice(-500)}`)
          }
          found = frames().slice(seen).find(matches)
          return Promise.resolve(found !== undefined)
        },
        { what: `${what}; last frame:\n${frames().at(-1) ?? '(none)'}`, timeoutMs }
      )
      return found ?? assert.fail(what)
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** The first line of a frame: `<ISO time>  every Ns`. */
export function assertFrameHeader(frame: string, seconds: number): void {
  assert.match(
    frame.split('\n', 1)[0] ?? '',
    new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z  every ${seconds}s$`)
  )
}
