/**
 * Types of parse-prometheus-text-format 1.1.1 (a devDependency without its own), written from
 * its dist/parse-prometheus-text-format.cjs.js: values stay strings as written ("+Inf", "1e3").
 */
declare module 'parse-prometheus-text-format' {
  namespace parsePrometheusTextFormat {
    /** One series; for histograms and summaries the whole family folded into one entry. */
    interface Sample {
      value?: string
      labels?: Record<string, string>
      timestamp_ms?: string
      /** Histograms: `le` → cumulative count. */
      buckets?: Record<string, string>
      /** Summaries: `quantile` → value. */
      quantiles?: Record<string, string>
      count?: string
      sum?: string
    }
    interface Family {
      name: string
      /** `''` when the family has no `# HELP`. */
      help: string
      type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
      metrics: Sample[]
    }
  }
  /** Throws `InvalidLineError` on a line it cannot read. */
  function parsePrometheusTextFormat(text: string): parsePrometheusTextFormat.Family[]
  export = parsePrometheusTextFormat
}
