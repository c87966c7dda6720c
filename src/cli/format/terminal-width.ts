/**
 * The width tables fit: `COLUMNS` when it is set to a positive integer (as `ls` reads it, also
 * for a pipe), else the terminal's columns; undefined — every column — for a pipe or a
 * pseudo-terminal that reports no size.
 */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv
): number | undefined {
  const fromEnv = env['COLUMNS']
  if (fromEnv !== undefined && /^\d{1,5}$/.test(fromEnv) && Number(fromEnv) > 0) {
    return Number(fromEnv)
  }
  const columns = stream.isTTY === true ? stream.columns : undefined
  return columns !== undefined && columns > 0 ? columns : undefined
}
