import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderTable, type Column } from './text-table.ts'

interface Row {
  key: string
  n: number
  note: string
}

const ROWS: Row[] = [
  { key: 'alpha', n: 1, note: 'first row' },
  { key: 'a-much-longer-key', n: 12345, note: 'second' },
]

const COLUMNS: Column<Row>[] = [
  { header: 'KEY', priority: 0, cell: (r) => r.key },
  { header: 'N', priority: 1, align: 'right', cell: (r) => String(r.n) },
  { header: 'NOTE', priority: 2, cell: (r) => r.note },
]

const lines = (text: string) => text.split('\n')
const widest = (text: string) => Math.max(...lines(text).map((line) => line.length))

void describe('renderTable', () => {
  void it('aligns every column (right-aligned numbers), two spaces apart, no trailing spaces', () => {
    assert.equal(
      renderTable(ROWS, COLUMNS),
      [
        'KEY                    N  NOTE',
        'alpha                  1  first row',
        'a-much-longer-key  12345  second',
      ].join('\n')
    )
  })

  void it('keeps every column without a width, however wide', () => {
    assert.equal(renderTable(ROWS, COLUMNS, undefined), renderTable(ROWS, COLUMNS))
  })

  void it('keeps every column when the table fits the width exactly', () => {
    const full = renderTable(ROWS, COLUMNS)
    assert.equal(renderTable(ROWS, COLUMNS, widest(full)), full)
  })

  void it('drops the highest priority first, then the next, until the table fits', () => {
    assert.deepEqual(lines(renderTable(ROWS, COLUMNS, 30)), [
      'KEY                    N',
      'alpha                  1',
      'a-much-longer-key  12345',
    ])
    assert.deepEqual(lines(renderTable(ROWS, COLUMNS, 20)), ['KEY', 'alpha', 'a-much-longer-key'])
  })

  void it('drops the rightmost of equal priorities first', () => {
    const columns: Column<Row>[] = [
      { header: 'KEY', priority: 1, cell: (r) => r.key },
      { header: 'N', priority: 1, cell: (r) => String(r.n) },
      { header: 'NOTE', priority: 1, cell: (r) => r.note },
    ]
    assert.match(lines(renderTable(ROWS, columns, 25))[0] ?? '', /^KEY\s+N$/)
  })

  void it('never drops a priority 0 column, even past the width', () => {
    const columns: Column<Row>[] = COLUMNS.map((c) => ({ ...c, priority: 0 }))
    assert.equal(renderTable(ROWS, columns, 10), renderTable(ROWS, columns))
  })

  void it('cuts a shrink column with … once nothing more can be dropped, keeping its header', () => {
    const columns: Column<Row>[] = [
      { header: 'KEY', priority: 0, shrink: true, cell: (r) => r.key },
      { header: 'TOTAL', priority: 0, align: 'right', cell: (r) => String(r.n) },
    ]
    const text = renderTable(ROWS, columns, 16)
    assert.deepEqual(lines(text), ['KEY        TOTAL', 'alpha          1', 'a-much-l…  12345'])
    assert.equal(widest(text), 16)
  })

  void it('cuts no further than six characters (or the header) when the width is tiny', () => {
    const columns: Column<Row>[] = [
      { header: 'KEY', priority: 0, shrink: true, cell: (r) => r.key },
      { header: 'TOTAL', priority: 0, align: 'right', cell: (r) => String(r.n) },
    ]
    assert.deepEqual(lines(renderTable(ROWS, columns, 5)), [
      'KEY     TOTAL',
      'alpha       1',
      'a-muc…  12345',
    ])
  })

  void it('prints the header alone for no rows, and keeps at least one column', () => {
    assert.equal(renderTable([], COLUMNS), 'KEY  N  NOTE')
    const droppable: Column<Row>[] = COLUMNS.map((c) => ({ ...c, priority: 5 }))
    assert.deepEqual(lines(renderTable(ROWS, droppable, 1)), ['KEY', 'alpha', 'a-much-longer-key'])
  })
})
