/** The history chart (uPlot, loaded on demand as its own chunk). */
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { HistoryPoint } from '../../api/types.ts'

/** Props of {@link HistoryChart}. */
export interface HistoryChartProps {
  points: readonly HistoryPoint[]
  /** Draw the largest groups as their own series. */
  grouped: boolean
  /** The x axis, ms since the epoch: it spans the range even where samples are missing. */
  from: number
  to: number
}

/** Groups drawn at most besides Total and Active. */
const MAX_GROUPS = 6
const HEIGHT = 300
/** Time-axis steps, seconds: whole seconds at least (samples are ≥ 1 s apart). */
const TIME_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
  172_800, 604_800,
]
/** Readable on light and dark backgrounds. */
const PALETTE = ['#d9480f', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f59f00', '#0c8599']

/** Total and active sessions over time, plus the largest groups when grouped. */
export function HistoryChart({ points, grouped, from, to }: HistoryChartProps) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = box.current
    if (element === null) return
    const css = getComputedStyle(document.documentElement)
    const text = css.getPropertyValue('--fg').trim() || '#222'
    const grid = css.getPropertyValue('--border').trim() || '#ddd'
    const keys = grouped ? topKeys(points) : []
    const data: uPlot.AlignedData = [
      points.map((point) => point.Timestamp / 1000),
      points.map((point) => point.Total),
      points.map((point) => point.Active),
      ...keys.map((key) =>
        points.map((point) => point.Groups.find((group) => group.Key === key)?.Count ?? 0)
      ),
    ]
    const axis = {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    }
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: HEIGHT,
        series: [
          {},
          { label: 'Total', stroke: text, width: 2 },
          { label: 'Active', stroke: '#868e96', width: 1, dash: [4, 4] },
          ...keys.map((key, index) => ({
            label: key === '' ? '(none)' : key,
            stroke: PALETTE[index % PALETTE.length] ?? text,
            width: 1.5,
          })),
        ],
        scales: {
          x: { time: true, range: [from / 1000, to / 1000] },
          y: { range: (_plot, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
        },
        axes: [
          { ...axis, incrs: TIME_STEPS },
          { ...axis, label: 'sessions' },
        ],
      },
      data,
      element
    )
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, element.clientWidth), height: HEIGHT })
    )
    observer.observe(element)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [points, grouped, from, to])
  return <div ref={box} class="history-chart" data-testid="history-chart" />
}

/** The groups with the largest peak count over the range. */
function topKeys(points: readonly HistoryPoint[]): string[] {
  const peaks = new Map<string, number>()
  for (const point of points) {
    for (const group of point.Groups)
      peaks.set(group.Key, Math.max(peaks.get(group.Key) ?? 0, group.Count))
  }
  return [...peaks.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_GROUPS)
    .map(([key]) => key)
}
