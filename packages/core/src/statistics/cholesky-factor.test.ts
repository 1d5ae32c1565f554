import { describe, expect, it } from "vitest";
import { choleskyFactor } from "./cholesky-factor.js";
import { notPsd, psd, singularNotPsd, singularPsd } from "./correlation-matrices.test-support.js";

/** L L^T of a row-major n*n lower-triangular factor. */
function timesTranspose(lower: Float64Array, n: number): number[][] {
  const product: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += (lower[i * n + k] ?? Number.NaN) * (lower[j * n + k] ?? Number.NaN);
      row.push(sum);
    }
    product.push(row);
  }
  return product;
}

function expectFactorReproduces(matrix: number[][]): void {
  const n = matrix.length;
  const lower = choleskyFactor(matrix);
  if (lower === null) throw new Error(`expected a Cholesky factor of ${JSON.stringify(matrix)}`);
  expect(lower).toHaveLength(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(lower[i * n + j]).toBe(0);
  const product = timesTranspose(lower, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const error = Math.abs((product[i]?.[j] ?? Number.NaN) - (matrix[i]?.[j] ?? Number.NaN));
      expect(error, `entry ${i},${j}`).toBeLessThanOrEqual(1e-12);
    }
  }
}

describe("choleskyFactor", () => {
  it("gives a lower-triangular L with L L^T equal to a positive definite matrix", () => {
    expectFactorReproduces(psd);
    expectFactorReproduces([
      [1, -0.3],
      [-0.3, 1],
    ]);
    expectFactorReproduces([
      [1, 0.8, 0.6, 0.4],
      [0.8, 1, 0.7, 0.5],
      [0.6, 0.7, 1, 0.6],
      [0.4, 0.5, 0.6, 1],
    ]);
  });

  it("factors singular PSD matrices (perfect correlation, positive or negative)", () => {
    expectFactorReproduces(singularPsd);
    expectFactorReproduces([
      [1, -1],
      [-1, 1],
    ]);
    expectFactorReproduces([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it("factors the identity as itself", () => {
    expect(Array.from(choleskyFactor([[1, 0], [0, 1]]) ?? [])).toEqual([1, 0, 0, 1]);
  });

  it("returns null for a matrix that is not PSD", () => {
    expect(choleskyFactor(notPsd)).toBeNull();
    expect(
      choleskyFactor([
        [1, 0.99, 0],
        [0.99, 1, 0.99],
        [0, 0.99, 1],
      ]),
    ).toBeNull();
  });

  // A regression test: after a zero pivot the factor once set the entries below it to 0 without checking that
  // the remainder is 0, so this non-PSD matrix (determinant -1) got a factor whose L L^T is [[1,1,0],[1,1,0],[0,0,1]].
  it("returns null for a non-PSD matrix with a zero pivot", () => {
    expect(choleskyFactor(singularNotPsd)).toBeNull();
  });

});
