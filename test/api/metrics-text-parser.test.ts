import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  parsePrometheusText,
  PrometheusTextError,
  sampleValue,
  samplesNamed,
} from '../support/prometheus-text.ts'

const VALID = [
  '# HELP http_requests_total Requests, with a \\\\ and a\\nnew line.',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="post",code="200"} 1027 1395066363000',
  'http_requests_total{method="post",code="400",} 3',
  '# a plain comment',
  'metric_without_labels 12.47',
  'prom_client_nan Nan',
  'quoted{path="C:\\\\dir\\"x\\"",multi="a\\nb"} -Inf',
  '# TYPE latency histogram',
  'latency_bucket{le="0.1"} 2',
  'latency_bucket{le="+Inf"} 3',
  'latency_sum 0.7',
  'latency_count 3',
  '',
].join('\n')

describe('parsePrometheusText', () => {
  it('reads types, help, labels with escapes, values and histograms', () => {
    const families = parsePrometheusText(VALID)
    const requests = families.get('http_requests_total')
    assert.equal(requests?.type, 'counter')
    assert.equal(requests?.help, 'Requests, with a \\ and a\nnew line.')
    assert.equal(
      sampleValue(families, 'http_requests_total', { method: 'post', code: '200' }),
      1027
    )
    assert.equal(sampleValue(families, 'http_requests_total', { code: '400', method: 'post' }), 3)
    assert.equal(sampleValue(families, 'http_requests_total', { method: 'post' }), undefined)
    assert.equal(sampleValue(families, 'metric_without_labels'), 12.47)
    assert.equal(sampleValue(families, 'quoted', { path: 'C:\\dir"x"', multi: 'a\nb' }), -Infinity)
    assert.ok(Number.isNaN(sampleValue(families, 'prom_client_nan')))
    assert.equal(families.get('latency')?.samples.length, 4)
    assert.equal(samplesNamed(families, 'latency_bucket').length, 2)
  })

  const invalid: [string, string][] = [
    ['no final line feed', 'up 1'],
    ['a bad value', 'up one\n'],
    ['a bad metric name', '0up 1\n'],
    ['an unterminated label value', 'up{a="1} 1\n'],
    ['a bad escape', 'up{a="\\t"} 1\n'],
    ['a label given twice', 'up{a="1",a="2"} 1\n'],
    ['a missing value', 'up{a="1"}\n'],
    ['a duplicate series', 'up{a="1"} 1\nup{a="1"} 2\n'],
    ['an unknown type', '# TYPE up thing\n'],
    ['a TYPE after the samples', 'up 1\n# TYPE up gauge\n'],
    ['families interleaved', '# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x="1"} 2\n'],
    ['two spaces before the value', 'up  1\n'],
  ]
  for (const [why, text] of invalid) {
    it(`rejects ${why}`, () => {
      assert.throws(() => parsePrometheusText(text), PrometheusTextError)
    })
  }

  it('rejects a histogram whose +Inf bucket is not its count', () => {
    const text =
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'
    assert.throws(() => parsePrometheusText(text), /\+Inf ≠ count/)
  })

  it('rejects buckets that are not cumulative', () => {
    const text =
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'
    assert.throws(() => parsePrometheusText(text), /not cumulative/)
  })
})
