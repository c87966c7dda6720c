import { useEffect, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import { NONE, type Filters } from '../../lib/filters.ts'
import { exactSeconds, formatCount, formatDuration } from '../../lib/format.ts'
import type { SortState } from '../../lib/view.ts'

/** The parts of DescribeRedisSessionInsights' `Data` shown here. */
interface InsightsData {
  Total: number
  LeakSamples: number
  LeakSuspects: { Key: string; ClientDesc: string; Count: number; Growth: number }[]
  IdleSessions: { ThresholdSeconds: number; Count: number }
  LargeOutputBuffers: { ThresholdBytes: number; Count: number }
  Blocked: { Count: number }
  Unnamed: { Count: number }
}

/** Props of {@link InsightsPanel}. */
export interface InsightsPanelProps {
  instanceId: string
  /** Show the sessions behind a finding in the grid. */
  onShow: (filters: Partial<Filters>, sort?: SortState) => void
}

/**
 * What an operator looks for first (DescribeRedisSessionInsights): sources whose session count
 * keeps growing, idle, unnamed and blocked sessions, large output buffers. Each links to the
 * grid filtered to those sessions. Hidden when the server has no such action.
 */
export function InsightsPanel({ instanceId, onShow }: InsightsPanelProps) {
  const { call } = useConsole()
  const [data, setData] = useState<InsightsData>()
  const [error, setError] = useState<RpcError>()
  useEffect(() => {
    let current = true
    call<InsightsData>('DescribeRedisSessionInsights', { InstanceId: instanceId })
      .then((answer) => current && setData(answer))
      .catch((caught: unknown) => {
        if (current && caught instanceof RpcError) setError(caught)
      })
    return () => {
      current = false
    }
  }, [call, instanceId])

  if (error !== undefined) {
    return error.code === 'InvalidApi.NotFound' ? null : (
      <p class="muted">Insights unavailable: {error.describe()}</p>
    )
  }
  if (data === undefined) return <p class="muted">Looking for leaks, idle and blocked sessions…</p>
  const idle = data.IdleSessions
  const findings = [
    {
      key: 'idle',
      count: idle.Count,
      label: `idle ≥ ${formatDuration(idle.ThresholdSeconds)}`,
      title: `Sessions idle for at least ${exactSeconds(idle.ThresholdSeconds)}`,
      show: () =>
        onShow({ minIdle: String(idle.ThresholdSeconds) }, { key: 'Idle', descending: true }),
    },
    {
      key: 'unnamed',
      count: data.Unnamed.Count,
      label: 'unnamed',
      title: 'Sessions that never sent CLIENT SETNAME: hard to trace back to an application',
      show: () => onShow({ name: NONE }),
    },
    {
      key: 'blocked',
      count: data.Blocked.Count,
      label: 'blocked',
      title: 'Sessions waiting in a blocking command (flag b)',
      show: () => onShow({ flags: 'b' }),
    },
    {
      key: 'omem',
      count: data.LargeOutputBuffers.Count,
      label: 'large output buffers',
      title: `Output buffer memory ≥ ${formatCount(data.LargeOutputBuffers.ThresholdBytes)} bytes`,
      show: () => onShow({}, { key: 'Omem', descending: true }),
    },
  ]
  return (
    <section class="insights" aria-label="Insights" data-testid="insights">
      {data.LeakSuspects.length > 0 && (
        <div class="banner warn" role="status">
          <strong>Possible connection leak:</strong>{' '}
          {data.LeakSuspects.map((suspect) => (
            <button
              type="button"
              class="link"
              key={suspect.Key}
              title={`Grew at each of the last ${data.LeakSamples} samples`}
              onClick={() => onShow({ clientIp: suspect.Key })}
            >
              {suspect.Key}
              {suspect.ClientDesc !== '' && ` (${suspect.ClientDesc})`}:{' '}
              {formatCount(suspect.Count)} sessions, +{formatCount(suspect.Growth)}
            </button>
          ))}
        </div>
      )}
      <ul class="findings">
        {findings.map((finding) => (
          <li key={finding.key}>
            <button
              type="button"
              title={finding.title}
              disabled={finding.count === 0}
              onClick={finding.show}
            >
              <strong>{formatCount(finding.count)}</strong> {finding.label}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
