import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { HistoryData } from '../../api/types.ts'
import { formatClock, formatIso } from '../../lib/format.ts'
import type { HistoryChartProps } from './history-chart.tsx'

const RANGES = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '6 hours', ms: 6 * 3_600_000 },
  { label: '24 hours', ms: 24 * 3_600_000 },
  { label: '7 days', ms: 7 * 24 * 3_600_000 },
] as const

const GROUP_BYS = [
  { value: 'total', label: 'total only' },
  { value: 'source', label: 'by source' },
  { value: 'node', label: 'by node' },
  { value: 'name', label: 'by name' },
  { value: 'user', label: 'by user' },
] as const

/**
 * Session counts over time from DescribeRedisSessionHistory (the server's sampler). The chart
 * code (uPlot) is a separate chunk loaded when this tab opens. When the server has no such
 * action (`InvalidApi.NotFound`), the tab says so instead of failing.
 */
export function HistoryTab({ instanceId }: { instanceId: string }) {
  const { call } = useConsole()
  const [rangeMs, setRangeMs] = useState<number>(RANGES[1].ms)
  const [groupBy, setGroupBy] = useState<string>('total')
  const [data, setData] = useState<HistoryData & { from: number; to: number }>()
  const [error, setError] = useState<RpcError>()
  const [round, setRound] = useState(0)
  const [Chart, setChart] = useState<ComponentType<HistoryChartProps>>()

  useEffect(() => {
    void import('./history-chart.tsx').then((module) => setChart(() => module.HistoryChart))
  }, [])

  useEffect(() => {
    let current = true
    const to = Date.now()
    const from = to - rangeMs
    call<HistoryData>('DescribeRedisSessionHistory', {
      InstanceId: instanceId,
      StartTime: String(from),
      EndTime: String(to),
      GroupBy: groupBy,
    })
      .then((answer) => {
        if (!current) return
        setData({ ...answer, from, to })
        setError(undefined)
      })
      .catch((caught: unknown) => {
        if (current)
          setError(caught instanceof RpcError ? caught : new RpcError('Error', String(caught)))
      })
    return () => {
      current = false
    }
  }, [call, instanceId, rangeMs, groupBy, round])

  if (error?.code === 'InvalidApi.NotFound') {
    return (
      <p class="empty" data-testid="history-unavailable">
        Session history is not available on this server (DescribeRedisSessionHistory is not served).
      </p>
    )
  }
  return (
    <section class="history" aria-label="Session history">
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Time range">
          {RANGES.map((range) => (
            <button
              type="button"
              key={range.ms}
              aria-pressed={range.ms === rangeMs}
              onClick={() => setRangeMs(range.ms)}
            >
              {range.label}
            </button>
          ))}
        </div>
        <label>
          <span class="sr-only">Series</span>
          <select value={groupBy} onChange={(event) => setGroupBy(event.currentTarget.value)}>
            {GROUP_BYS.map((option) => (
              <option value={option.value} key={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setRound((value) => value + 1)}>
          Refresh
        </button>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error.describe()}
        </p>
      )}
      {data !== undefined && data.Points.length === 0 && (
        <p class="empty">
          No samples in this range yet. The server samples every instance every
          REDIS_SESSIONS_HISTORY_INTERVAL_S seconds (default 60; 0 turns it off).
        </p>
      )}
      {data !== undefined && data.Points.length > 0 && Chart !== undefined && (
        <HistoryView data={data} Chart={Chart} grouped={groupBy !== 'total'} />
      )}
    </section>
  )
}

/**
 * The chart over the range asked for; when the samples begin well after its start (a new
 * instance, a sampler just turned on) the axis begins at the first sample, and says so, rather
 * than squeezing them into a sliver at the right edge.
 */
function HistoryView(props: {
  data: HistoryData & { from: number; to: number }
  Chart: ComponentType<HistoryChartProps>
  grouped: boolean
}) {
  const { data, Chart } = props
  const first = data.Points[0]?.Timestamp ?? data.from
  const trimmed = first - data.from > (data.to - data.from) / 20
  return (
    <>
      {trimmed && (
        <p class="muted" data-testid="history-trimmed" title={formatIso(first)}>
          No samples in this range before {formatClock(first)}: the time axis starts there.
        </p>
      )}
      <Chart
        points={data.Points}
        grouped={props.grouped}
        from={trimmed ? first : data.from}
        to={data.to}
      />
    </>
  )
}
