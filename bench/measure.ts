/** Timing helpers for benchmark cases. */

/** Runs the collector if `node --expose-gc` made it available, so cases start from a clean heap. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `work` once and returns its result with the elapsed wall-clock time in seconds. */
export async function timed<T>(
  work: () => Promise<T> | T,
): Promise<{ result: T; seconds: number }> {
  collectGarbage();
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
}

/** Items per second, rounded to a whole number. */
export function perSecond(count: number, seconds: number): number {
  return Math.round(count / seconds);
}
