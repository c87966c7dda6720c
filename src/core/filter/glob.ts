/**
 * Compiles a glob with `*` (any run, also empty) and `?` (one character) into a
 * matcher; every other character is literal. Used for client names and other
 * operator-typed patterns, anchored at both ends.
 */
export function compileGlob(
  pattern: string,
  options: { ignoreCase?: boolean } = {}
): (text: string) => boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (options.ignoreCase === true) {
      const lower = pattern.toLowerCase()
      return (text) => text.toLowerCase() === lower
    }
    return (text) => text === pattern
  }
  let source = '^'
  for (const char of pattern) {
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  const regexp = new RegExp(source + '$', options.ignoreCase === true ? 'isu' : 'su')
  return (text) => regexp.test(text)
}
