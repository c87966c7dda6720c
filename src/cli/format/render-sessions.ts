import type { SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import type { ClientSession } from '../../core/sessions/client-session.ts'
import type { SessionGroup } from '../../core/stats/group-sessions.ts'
import { toCsv } from './csv.ts'
import { formatBytes, formatDuration } from './duration.ts'
import { renderTable, type Column } from './text-table.ts'

interface Row {
  nodeId: string
  session: ClientSession
}

function rowsOf(snapshot: SessionsSnapshot): Row[] {
  const rows: Row[] = []
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    for (const session of outcome.sessions) rows.push({ nodeId: outcome.node.nodeId, session })
  }
  return rows
}

/**
 * The sessions table's columns. ID is never dropped; NODE neither when the snapshot has several
 * nodes (ids are per node: only NODE + ID tell two rows apart), else it goes early.
 */
function sessionColumns(severalNodes: boolean): Column<Row>[] {
  return [
    { header: 'NODE', priority: severalNodes ? 0 : 3, cell: (r) => r.nodeId },
    { header: 'ID', priority: 0, align: 'right', cell: (r) => String(r.session.id) },
    { header: 'ADDR', priority: 1, cell: (r) => r.session.addr },
    { header: 'NAME', priority: 2, cell: (r) => r.session.name },
    { header: 'AGE', priority: 2, align: 'right', cell: (r) => formatDuration(r.session.age) },
    { header: 'IDLE', priority: 2, align: 'right', cell: (r) => formatDuration(r.session.idle) },
    { header: 'FLAGS', priority: 3, cell: (r) => r.session.flags },
    { header: 'DB', priority: 4, align: 'right', cell: (r) => String(r.session.db) },
    { header: 'CMD', priority: 2, cell: (r) => r.session.cmd },
    { header: 'USER', priority: 5, cell: (r) => r.session.user ?? '' },
    { header: 'LIB', priority: 6, cell: (r) => r.session.libName ?? '' },
    { header: 'OMEM', priority: 5, align: 'right', cell: (r) => formatBytes(r.session.omem) },
    {
      header: 'TOT-MEM',
      priority: 7,
      align: 'right',
      cell: (r) => fmtOptionalBytes(r.session.totMem),
    },
  ]
}

function fmtOptionalBytes(bytes: number | undefined): string {
  return bytes === undefined ? '' : formatBytes(bytes)
}

/** A readable table: durations for age/idle, only the columns that fit `width`. */
export function renderSessionsTable(snapshot: SessionsSnapshot, width?: number): string {
  return renderTable(rowsOf(snapshot), sessionColumns(snapshot.outcomes.length > 1), width)
}

const CSV_HEADER = [
  'NodeId', 'Id', 'Addr', 'Client', 'Name', 'Age', 'Idle', 'Flags', 'Db', 'Sub', 'Psub', 'Multi', 'Qbuf',
  'QbufFree', 'Obl', 'Oll', 'Omem', 'Events', 'Cmd', 'User', 'LibName', 'LibVer', 'TotMem',
] // prettier-ignore

/** Every session with exact values, one CSV row each, for spreadsheets. */
export function renderSessionsCsv(snapshot: SessionsSnapshot): string {
  const rows = rowsOf(snapshot).map(({ nodeId, session: s }) => [
    nodeId, s.id, s.addr, s.client, s.name, s.age, s.idle, s.flags, s.db, s.sub, s.psub, s.multi, s.qbuf,
    s.qbufFree, s.obl, s.oll, s.omem, s.events, s.cmd, s.user ?? '', s.libName ?? '', s.libVer ?? '',
    s.totMem ?? '',
  ]) // prettier-ignore
  return toCsv(CSV_HEADER, rows)
}

/** Grouped counts like the DAS console's "by source" view; at any width: key, TOTAL, ACTIVE. */
export function renderGroups(
  groups: readonly SessionGroup[],
  keyHeader: string,
  width?: number
): string {
  const columns: Column<SessionGroup>[] = [
    {
      header: keyHeader.toUpperCase(),
      priority: 0,
      shrink: true,
      cell: (g) => (g.key === '' ? '(none)' : g.key),
    },
    { header: 'TOTAL', priority: 0, align: 'right', cell: (g) => String(g.count) },
    { header: 'ACTIVE', priority: 0, align: 'right', cell: (g) => String(g.activeCount) },
  ]
  return renderTable(groups, columns, width)
}
