import autocannon from 'autocannon';
import type { BenchContext, Benchmark, BenchRow } from './types';
import { formatInteger } from './types';

// Loopback throughput of the cheapest dynamic route (B6 / T12 in docs/performance.md). T12 is for
// 50 connections, a 24 KB JSON route and pinned cores; this run is smaller and unpinned, so it is
// reported against T12 rather than gated.

const CONNECTIONS = 10;
const DURATION_S = 10;
const WARM_UP_S = 2;

async function run(context: BenchContext): Promise<BenchRow[]> {
  const url = `${context.baseUrl}/api/health`;
  await autocannon({ url, connections: CONNECTIONS, duration: WARM_UP_S });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  const failures = result.non2xx + result.errors + result.timeouts;
  const label = `/api/health, ${CONNECTIONS} connections, ${DURATION_S} s`;
  const failuresNote = failures === 0 ? 'all 2xx' : `${formatInteger(failures)} non-2xx/errors`;
  return [
    {
      benchmark: `${label}: requests/s (mean)`,
      figure: `${formatInteger(result.requests.mean)} req/s (${failuresNote})`,
      target: '≥ 1,500 req/s (T12)',
      // B6's hard gate is "non-2xx = 0"; the rate itself is only reported.
      status: failures === 0 ? 'report' : 'misses',
    },
    {
      benchmark: `${label}: p99 latency`,
      figure: `${formatInteger(result.latency.p99)} ms`,
      target: '≤ 100 ms (T12)',
      status: 'report',
    },
  ];
}

export const healthThroughput: Benchmark = { name: '/api/health throughput', run };
