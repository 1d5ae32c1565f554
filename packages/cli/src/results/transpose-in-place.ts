/**
 * Transposes a row-major matrix of `rows` x `columns` doubles into its `columns` x `rows` transpose, in the same
 * array: afterwards column c is `values.subarray(c * rows, (c + 1) * rows)`. A run's outcome rows
 * (paths x modes x fields) become one contiguous column per mode and field, which the summary reads as views instead
 * of copies (at 10^6 paths a copy is ~100 MB a mode). The permutation is followed cycle by cycle (Knuth, TAOCP vol. 1,
 * 1.3.3, exercise 12): the element at index s = r · columns + c belongs at c · rows + r (which is (s · rows) mod
 * (n − 1), computed with a division rather than the slower floating-point remainder); a bit per element marks what
 * has been placed, so the extra memory is n / 8 bytes. Values are moved, never computed: the bits are kept.
 */
export function transposeInPlace(values: Float64Array, rows: number, columns: number): void {
  const n = rows * columns;
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || columns < 0 || n !== values.length) {
    throw new RangeError(`transposeInPlace: ${String(rows)} x ${String(columns)} does not describe ${String(values.length)} values`);
  }
  if (rows <= 1 || columns <= 1) return;
  const modulus = n - 1;
  const placed = new Uint8Array(Math.ceil(n / 8));
  // Index 0 and n − 1 are fixed points; every other index lies on exactly one cycle.
  for (let start = 1; start < modulus; start++) {
    if ((placed[start >>> 3] ?? 0) & (1 << (start & 7))) continue;
    let carried = values[start] ?? Number.NaN;
    let at = start;
    do {
      // Indices are below 2^53, so the quotient's floor and the products are exact.
      const row = Math.floor(at / columns);
      const destination = (at - row * columns) * rows + row;
      const displaced = values[destination] ?? Number.NaN;
      values[destination] = carried;
      placed[destination >>> 3] = (placed[destination >>> 3] ?? 0) | (1 << (destination & 7));
      carried = displaced;
      at = destination;
    } while (at !== start);
  }
}
