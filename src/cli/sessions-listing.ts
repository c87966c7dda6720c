import { presentAllSessionsJson } from '../api/actions/get-redis-all-session/present.ts'
import { filterSnapshot } from '../core/filter/filter-snapshot.ts'
import type { SessionPredicate } from '../core/filter/session-filter.ts'
import { isComplete, type SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { groupSessions, type GroupBy } from '../core/stats/group-sessions.ts'
import { CliError, describeError, EXIT_OK, EXIT_PARTIAL } from './cli-error.ts'
import { renderGroups, renderSessionsCsv, renderSessionsTable } from './format/render-sessions.ts'
import { terminalWidth } from './format/terminal-width.ts'
import { writeOut } from './output.ts'
import type { ListingFormat } from './sessions-options.ts'
import type { CollectedSessions } from './sessions-source.ts'

/** How one listing is shown, from the options. */
export interface Show {
  keep: SessionPredicate
  by: GroupBy | undefined
  format: ListingFormat
  /** `--node`: must name a node of the deployment. */
  node: string | undefined
  /** A `redis://` or `unix://` target: "connection closed" may mean a TLS port. */
  plainUrl: boolean
  env: NodeJS.ProcessEnv
}

/** Prints one listing; the exit code is set before the output, so a closed pipe keeps it. */
export function oneListing(collected: CollectedSessions, show: Show): number {
  const text = render(collected, show)
  const { snapshot } = collected
  const code = isComplete(snapshot) ? EXIT_OK : EXIT_PARTIAL
  process.exitCode = code
  writeOut(...(endsWithNewline(text) ? [text] : [text, '\n']))
  if (code === EXIT_PARTIAL) process.stderr.write(failedNodesMessage(snapshot, show) + '\n')
  return code
}

/**
 * `--watch`: a new frame every `seconds` until Ctrl-C (or until the reader of stdout goes).
 * A round that fails — no node answers, discovery fails, the server is unreachable — is a
 * frame too: the time and the reason on one line; the next round tries again.
 */
export async function watch(
  collect: () => Promise<CollectedSessions>,
  show: Show,
  seconds: number
): Promise<never> {
  for (;;) {
    const started = Date.now()
    let body: string
    try {
      const collected = await collect()
      const text = render(collected, show).toString()
      const { snapshot } = collected
      const failed = isComplete(snapshot) ? '' : failedNodesMessage(snapshot, show) + '\n'
      body = `${new Date(snapshot.timestamp).toISOString()}  every ${seconds}s\n${text}${endsWithNewline(text) ? '' : '\n'}${failed}`
    } catch (error) {
      body = `${new Date(started).toISOString()}  every ${seconds}s\nfailed: ${describeError(error)}\n`
    }
    // Home + clear screen, then the new frame: refresh in place.
    writeOut(`\x1b[H\x1b[2J${body}`)
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  }
}

/** The listing as text; throws when no node answered or `--node` names none of the nodes. */
function render({ snapshot, aliasOf }: CollectedSessions, show: Show): string | Buffer {
  if (snapshot.outcomes.every((outcome) => !outcome.ok)) {
    throw new CliError(failedNodesMessage(snapshot, show) || 'no node answered')
  }
  if (show.node !== undefined && !snapshot.outcomes.some((o) => o.node.nodeId === show.node)) {
    const known = snapshot.outcomes.map((outcome) => outcome.node.nodeId).join(', ')
    throw new CliError(
      `--node ${show.node.slice(0, 80)} is not a node of this deployment: ${known}`
    )
  }
  const shown = filterSnapshot(snapshot, show.keep)
  const width = terminalWidth(process.stdout, show.env)
  if (show.format === 'json') return presentAllSessionsJson(shown, aliasOf)
  // CSV keeps its CRLF line ends (RFC 4180), the last one included.
  if (show.format === 'csv') return renderSessionsCsv(shown)
  if (show.by !== undefined) return renderGroups(groupSessions(shown, show.by), show.by, width)
  return renderSessionsTable(shown, width)
}

function failedNodesMessage(snapshot: SessionsSnapshot, show: Show): string {
  const message = snapshot.outcomes
    .flatMap((outcome) =>
      outcome.ok ? [] : [`node ${outcome.node.nodeId} failed: ${outcome.error.message}`]
    )
    .join('\n')
  return show.plainUrl ? withTlsPortHint(message) : message
}

/**
 * A TLS port closes a plaintext connection without a word: the core reports "connection
 * closed"; for a redis:// target the likely reason is added.
 */
export function withTlsPortHint(message: string): string {
  return message.replace(/: connection closed(?=$|\n|;)/gm, '$& (is it a TLS port? use rediss://)')
}

function endsWithNewline(text: string | Buffer): boolean {
  return typeof text === 'string' ? text.endsWith('\n') : text.at(-1) === 0x0a
}
