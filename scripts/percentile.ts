// The benchmarks' one percentile rule: the nearest-rank value of an ascending list (undefined when it is empty).
export function percentile(sorted: readonly number[], percent: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor((percent / 100) * sorted.length))];
}
