// The shape every benchmark module shares, so bench.ts can run them in order and render one table.

export type BenchStatus = 'meets' | 'misses' | 'report';

export type BenchRow = {
  benchmark: string;
  figure: string;
  target: string;
  status: BenchStatus;
};

export type BenchContext = {
  /** `http://localhost:<port>`, never 127.0.0.1 (see docs/interfaces.md). */
  baseUrl: string;
  chromiumPath: string;
  /** A scratch folder removed after the run. */
  tmpDir: string;
  /** performance.now() when the app's supervisor was spawned. */
  serverStartedAt: number;
  /** The app's data folder (SQLite file `kinetic.db`), for benchmarks that wait on its state. */
  dataDir: string;
};

/** What a benchmark that starts everything it measures itself is given. */
export type StandaloneContext = Pick<BenchContext, 'tmpDir'>;

export type Benchmark =
  | {
      /** Names the row written when the benchmark throws. */
      name: string;
      standalone?: false;
      run: (context: BenchContext) => Promise<BenchRow[]>;
    }
  | {
      name: string;
      /**
       * It starts its own app (or needs none): when only such benchmarks are selected, bench.ts
       * starts no shared app, whose demo would otherwise warm up in the background meanwhile.
       */
      standalone: true;
      run: (context: StandaloneContext) => Promise<BenchRow[]>;
    };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** The value below which 95 % of the values fall (the sorted value at index ⌊0.95 n⌋, the last at most). */
export function p95(values: readonly number[]): number {
  if (values.length === 0) throw new Error('p95 of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] as number;
}

export const formatInteger = (value: number): string => Math.round(value).toLocaleString('en-US');
