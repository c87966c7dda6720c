import { renderTable, writeReport } from './sessions/report.ts'
import { runScenario, type Scenario, type ScenarioFigures } from './sessions/scenario.ts'

/**
 * `npm run bench -- sessions [--quick] [--runs N]`: the end-to-end comparison of issue #4 —
 * redis-cli (the floor), our CLI, our HTTP API and the node-redis path — on real servers
 * holding 10,000 and 19,000 idle clients, and a 3+3 cluster with 8,000 per node.
 * `--quick` uses 1,000 clients for a smoke run.
 */
export async function benchSessions(): Promise<void> {
  const args = process.argv.slice(2)
  const quick = args.includes('--quick')
  const runsIndex = args.indexOf('--runs')
  const runs = runsIndex === -1 ? 7 : Number(args[runsIndex + 1])
  const scenarios: Scenario[] = quick
    ? [
        { name: 'standalone 1k', topology: 'standalone', clientsPerNode: 1000 },
        { name: 'cluster 3+3 × 1k', topology: 'cluster', clientsPerNode: 1000 },
      ]
    : [
        { name: 'standalone 10k', topology: 'standalone', clientsPerNode: 10_000 },
        { name: 'standalone 19k', topology: 'standalone', clientsPerNode: 19_000 },
        { name: 'cluster 3+3 × 8k', topology: 'cluster', clientsPerNode: 8000 },
      ]
  const results: ScenarioFigures[] = []
  for (const scenario of scenarios) {
    process.stderr.write(`== ${scenario.name}\n`)
    results.push(await runScenario(scenario, runs))
  }
  console.log(renderTable(results))
  const file = await writeReport(results, runs)
  console.log(`\nraw figures: ${file}; table written to docs/performance.md`)
}
