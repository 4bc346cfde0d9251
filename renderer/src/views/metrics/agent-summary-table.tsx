/** Per-agent totals over the window; an agent's name selects it for the charts and breakdowns. */
import { formatCount, formatDecimal, formatDuration } from '../../components/format.js';
import type { AgentMetricsResponse } from '../../../../shared/index.js';

export interface AgentSummaryTableProps {
  totals: AgentMetricsResponse['agents'];
  colors: Map<string, string>;
  selected: string | undefined;
  hrefFor(agent: string | undefined): string;
}

export function AgentSummaryTable({ totals, colors, selected, hrefFor }: AgentSummaryTableProps) {
  const rows = [...totals].sort((a, b) => b.count - a.count || a.agent.localeCompare(b.agent));
  return (
    <div className="table-scroll">
      <table className="agent-metrics-table">
        <caption className="sr-only">Interactions per agent in the window</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col" className="numeric">
              Interactions
            </th>
            <th scope="col" className="numeric">
              Errors
            </th>
            <th scope="col" className="numeric">
              Error rate
            </th>
            <th scope="col" className="numeric">
              p50
            </th>
            <th scope="col" className="numeric">
              p95
            </th>
            <th scope="col" className="numeric">
              Max
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.agent} data-testid="agent-metrics-row" data-agent={row.agent} aria-selected={row.agent === selected}>
              <th scope="row">
                <a
                  href={hrefFor(row.agent === selected ? undefined : row.agent)}
                  className="agent-link"
                  title={row.agent === selected ? 'Show all agents' : `Show only ${row.agent}`}
                >
                  <span className="agent-dot" style={{ background: colors.get(row.agent) }} aria-hidden="true" />
                  {row.agent}
                </a>
              </th>
              <td className="numeric" data-field="count">
                {formatCount(row.count)}
              </td>
              <td className="numeric" data-field="errors">
                {formatCount(row.errors)}
              </td>
              <td className={`numeric ${row.errors > 0 ? 'error-text' : ''}`} data-field="error_rate">
                {formatDecimal(row.error_rate)} %
              </td>
              <td className="numeric" data-field="p50_ms">
                {formatDuration(row.p50_ms)}
              </td>
              <td className="numeric" data-field="p95_ms" title={`The largest minute's p95: ${formatDuration(row.p95_max_ms)}`}>
                {formatDuration(row.p95_ms)}
              </td>
              <td className="numeric" data-field="max_ms">
                {formatDuration(row.max_ms)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
