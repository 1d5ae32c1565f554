// Correlation matrices shared by the Cholesky factor's tests and the market schema's.

export const notPsd = [
  [1, 0.9, 0.9],
  [0.9, 1, -0.9],
  [0.9, -0.9, 1],
];
export const psd = [
  [1, 0.5, 0.3],
  [0.5, 1, 0.2],
  [0.3, 0.2, 1],
];
/** BTC and ETH perfectly correlated: a zero eigenvalue, still a valid correlation matrix. */
export const singularPsd = [
  [1, 1, 0.5],
  [1, 1, 0.5],
  [0.5, 0.5, 1],
];
/** Determinant -1: not PSD, yet its leading 2x2 block is singular (a zero Cholesky pivot). */
export const singularNotPsd = [
  [1, 1, 0],
  [1, 1, 1],
  [0, 1, 1],
];
