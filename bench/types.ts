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

export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<BenchRow[]>;
}
