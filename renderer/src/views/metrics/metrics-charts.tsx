/** The three interaction charts of the chosen window: requests per minute, error rate, and p50/p95 latency. */
import { formatDecimal, formatDuration } from '../../components/format.js';
import { LineChart } from '../../components/line-chart.js';
import type { ChartSet } from './metrics-data.js';

const formatRate = (value: number): string => formatDecimal(value);
const formatPercent = (value: number): string => `${formatDecimal(value)} %`;

export function MetricsCharts({ charts }: { charts: ChartSet }) {
  return (
    <div className="metrics-charts">
      <section className="card">
        <LineChart title="Requests per minute" testId="chart-requests" series={charts.requests} xDomain={charts.domain} formatY={formatRate} />
      </section>
      <section className="card">
        <LineChart title="Error rate" testId="chart-error-rate" series={charts.errorRate} xDomain={charts.domain} formatY={formatPercent} yMinMax={5} />
      </section>
      <section className="card">
        <LineChart title="Latency (p50 solid, p95 dashed)" testId="chart-latency" series={charts.latency} xDomain={charts.domain} formatY={formatDuration} />
      </section>
    </div>
  );
}
