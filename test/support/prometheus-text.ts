/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), written for the tests so that
 * they read `/metrics` the way a Prometheus server would, not with a regex. Anything the format
 * does not allow throws `PrometheusTextError` naming the line.
 */

/** One sample line. */
export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** A metric family: its `# TYPE`, `# HELP` and samples (histograms: `_bucket`, `_sum`, `_count`). */
export interface MetricFamily {
  readonly name: string
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help: string | undefined
  readonly samples: Sample[]
}

/** A line the format does not allow. */
export class PrometheusTextError extends Error {
  constructor(line: number, why: string) {
    super(`line ${line}: ${why}`)
    this.name = 'PrometheusTextError'
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/
const TYPES: readonly MetricFamily['type'][] = [
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
]
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
}

/** Parses a whole exposition; families by name, in order of appearance. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>()
  const seriesSeen = new Set<string>()
  const closed = new Set<string>()
  const typed = new Set<string>()
  let current: MetricFamily | undefined
  const lines = text.split('\n')
  if (lines.at(-1) !== '') throw new PrometheusTextError(lines.length, 'no final line feed')
  lines.forEach((line, index) => {
    const n = index + 1
    if (line === '') return
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line)
      if (meta === null) return // a plain comment
      const [, kind, name = '', rest = ''] = meta
      if (!isWhole(METRIC_NAME, name)) throw new PrometheusTextError(n, `bad metric name ${name}`)
      let family = families.get(name)
      if (kind === 'TYPE') {
        if (typed.has(name) || (family?.samples.length ?? 0) > 0) {
          throw new PrometheusTextError(n, `TYPE of ${name} after its samples or twice`)
        }
        const type = TYPES.find((known) => known === rest)
        if (type === undefined) throw new PrometheusTextError(n, `unknown type ${rest}`)
        typed.add(name)
        families.set(name, { name, type, help: family?.help, samples: [] })
      } else {
        if (family?.help !== undefined) throw new PrometheusTextError(n, `second HELP of ${name}`)
        family ??= { name, type: 'untyped', help: undefined, samples: [] }
        family.help = unescape(rest, false, n)
        families.set(name, family)
      }
      return
    }
    const sample = parseSample(line, n)
    const family = familyOf(families, sample.name, n)
    if (family !== current) {
      // Samples of one family must be contiguous.
      if (current !== undefined) closed.add(current.name)
      if (closed.has(family.name)) {
        throw new PrometheusTextError(n, `${family.name} samples are not contiguous`)
      }
      current = family
    }
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`
    if (seriesSeen.has(series)) throw new PrometheusTextError(n, `duplicate series ${series}`)
    seriesSeen.add(series)
    family.samples.push(sample)
    families.set(family.name, family)
  })
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

/** The value of the sample `name` whose labels are exactly `labels`; undefined when none. */
export function sampleValue(
  families: ReadonlyMap<string, MetricFamily>,
  name: string,
  labels: Readonly<Record<string, string>> = {}
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort())
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === want) {
        return sample.value
      }
    }
  }
  return undefined
}

/** Every sample named `name`, whatever its labels. */
export function samplesNamed(families: ReadonlyMap<string, MetricFamily>, name: string): Sample[] {
  return [...families.values()].flatMap((f) => f.samples.filter((s) => s.name === name))
}

function familyOf(
  families: Map<string, MetricFamily>,
  sampleName: string,
  n: number
): MetricFamily {
  for (const family of families.values()) {
    const suffixes = SUFFIXES[family.type] ?? ['']
    if (suffixes.some((suffix) => family.name + suffix === sampleName)) return family
  }
  if (families.has(sampleName)) {
    throw new PrometheusTextError(n, `${sampleName} is a histogram: samples need a suffix`)
  }
  const untyped: MetricFamily = { name: sampleName, type: 'untyped', help: undefined, samples: [] }
  families.set(sampleName, untyped)
  return untyped
}

function parseSample(line: string, n: number): Sample {
  const name = METRIC_NAME.exec(line)?.[0]
  if (name === undefined) throw new PrometheusTextError(n, 'no metric name')
  let rest = line.slice(name.length)
  const labels: Record<string, string> = {}
  if (rest.startsWith('{')) {
    rest = rest.slice(1)
    while (!rest.startsWith('}')) {
      const label = LABEL_NAME.exec(rest)?.[0]
      if (label === undefined) throw new PrometheusTextError(n, 'bad label name')
      if (Object.hasOwn(labels, label)) throw new PrometheusTextError(n, `label ${label} twice`)
      rest = rest.slice(label.length)
      if (!rest.startsWith('="')) throw new PrometheusTextError(n, `no ="…" after ${label}`)
      const end = closingQuote(rest, 2)
      if (end === -1) throw new PrometheusTextError(n, `unterminated value of ${label}`)
      labels[label] = unescape(rest.slice(2, end), true, n)
      rest = rest.slice(end + 1)
      if (rest.startsWith(',')) rest = rest.slice(1)
      else if (!rest.startsWith('}')) throw new PrometheusTextError(n, 'expected , or }')
    }
    rest = rest.slice(1)
  }
  const fields = /^ (\S+)(?: (-?\d+))?$/.exec(rest)
  if (fields === null) throw new PrometheusTextError(n, `bad value part '${rest}'`)
  return { name, labels, value: parseValue(fields[1] ?? '', n) }
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i
  }
  return -1
}

function unescape(text: string, quoted: boolean, n: number): string {
  return text.replace(/\\(.?)/g, (_all, next: string) => {
    if (next === '\\') return '\\'
    if (next === 'n') return '\n'
    if (next === '"' && quoted) return '"'
    throw new PrometheusTextError(n, `bad escape \\${next}`)
  })
}

function parseValue(text: string, n: number): number {
  // As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case (prom-client writes Nan).
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity
  if (/^-inf(inity)?$/i.test(text)) return -Infinity
  if (/^nan$/i.test(text)) return NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new PrometheusTextError(n, `bad value ${text}`)
  }
  return Number(text)
}

function checkHistogram(family: MetricFamily): void {
  const byLabels = new Map<string, { le: number; value: number }[]>()
  const counts = new Map<string, number>()
  const key = (labels: Readonly<Record<string, string>>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([name]) => name !== 'le')
        .sort()
    )
  for (const sample of family.samples) {
    if (sample.name.endsWith('_count')) counts.set(key(sample.labels), sample.value)
    if (!sample.name.endsWith('_bucket')) continue
    const le = sample.labels['le']
    if (le === undefined) throw new Error(`${family.name}: a bucket without le`)
    const list = byLabels.get(key(sample.labels)) ?? []
    list.push({ le: le === '+Inf' ? Infinity : Number(le), value: sample.value })
    byLabels.set(key(sample.labels), list)
  }
  for (const [labels, buckets] of byLabels) {
    const last = buckets.at(-1)
    if (last?.le !== Infinity) throw new Error(`${family.name}${labels}: no +Inf bucket last`)
    buckets.reduce((previous, bucket) => {
      if (bucket.le <= previous.le || bucket.value < previous.value) {
        throw new Error(`${family.name}${labels}: buckets not cumulative`)
      }
      return bucket
    })
    if (counts.get(labels) !== last.value) throw new Error(`${family.name}${labels}: +Inf ≠ count`)
  }
}

function isWhole(pattern: RegExp, text: string): boolean {
  return pattern.exec(text)?.[0] === text
}
