/** Lower-triangular Cholesky factor (row-major, n*n) of a correlation matrix, or null if it is not PSD. */
export function choleskyFactor(matrix: readonly (readonly number[])[]): Float64Array | null {
  const n = matrix.length;
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i]?.[j] ?? Number.NaN;
      for (let k = 0; k < j; k++) sum -= (lower[i * n + k] ?? 0) * (lower[j * n + k] ?? 0);
      if (i === j) {
        // A tolerance for round-off: a PSD matrix with a zero eigenvalue (perfectly correlated assets) is valid.
        if (sum < -1e-12) return null;
        lower[i * n + i] = Math.sqrt(Math.max(0, sum));
      } else {
        const diagonal = lower[j * n + j] ?? 0;
        // A zero pivot (a perfectly correlated asset) leaves nothing to explain: a non-zero remainder means the
        // matrix is not PSD.
        if (diagonal === 0) {
          if (Math.abs(sum) > 1e-9) return null;
          lower[i * n + j] = 0;
        } else {
          lower[i * n + j] = sum / diagonal;
        }
      }
    }
  }
  return lower;
}
