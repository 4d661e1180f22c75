/** One measured figure of Keiko beside the raw baseline it wraps, measured in the same run. */
export interface BenchRow {
  metric: string;
  unit: 'ms' | 's' | 'MB' | 'MB/s' | 'req/s';
  ours: number;
  baseline: number;
  /** What the baseline is, e.g. "bare dockerode buildImage (nocache)". */
  baselineName: string;
  samples: number;
}

export interface BenchContext {
  /** Aborted when the benchmark runs past its time budget: stop waiting, clean up, and throw. */
  signal: AbortSignal;
}

export interface Benchmark {
  name: string;
  description: string;
  /**
   * The longest a run may take on a loaded 2-core machine before it is stopped as failed (default
   * DEFAULT_BUDGET_MS in run.ts; `BENCH_BUDGET_S` overrides every budget).
   */
  budgetMs?: number;
  run(log: (line: string) => void, context: BenchContext): Promise<BenchRow[]>;
}
