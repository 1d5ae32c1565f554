import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transposeInPlace } from "./transpose-in-place.js";

/** The transpose by its definition, into a new array: out[c][r] = in[r][c]. */
function transposedCopy(values: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = values[r * columns + c] ?? Number.NaN;
  return out;
}

describe("transposeInPlace", () => {
  it("turns a 2 x 3 matrix into its 3 x 2 transpose", () => {
    const values = Float64Array.of(1, 2, 3, 4, 5, 6);
    transposeInPlace(values, 2, 3);
    expect(Array.from(values)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("equals the transpose by definition for any shape, bit for bit (−0 and NaN kept)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer(), (rows, columns, seed) => {
        const values = new Float64Array(rows * columns);
        for (let i = 0; i < values.length; i++) values[i] = i % 7 === 3 ? -0 : i % 11 === 5 ? Number.NaN : Math.sin(seed + i) * 1e6;
        const expected = transposedCopy(values, rows, columns);
        transposeInPlace(values, rows, columns);
        expect(new Uint8Array(values.buffer)).toEqual(new Uint8Array(expected.buffer));
      }),
    );
  });

  it("transposed twice gives the original back, on the shape of a run's rows (paths x modes·fields)", () => {
    const paths = 1009;
    const width = 3 * 13;
    const values = Float64Array.from({ length: paths * width }, (_, i) => i * 0.5);
    transposeInPlace(values, paths, width);
    expect(values[1]).toBe(width * 0.5);
    transposeInPlace(values, width, paths);
    expect(values.every((value, i) => value === i * 0.5)).toBe(true);
  });

  it("refuses a shape that does not describe the array", () => {
    expect(() => {
      transposeInPlace(new Float64Array(5), 2, 3);
    }).toThrow("2 x 3 does not describe 5 values");
  });
});
