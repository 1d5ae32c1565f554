import { describe, expect, it } from "vitest";
import { chunkPaths } from "./run-simulation.js";

describe("chunkPaths: guided chunk sizes", () => {
  const cut = (total: number, chunkSize: number, workers: number): number[] => {
    const sizes: number[] = [];
    for (let remaining = total; remaining > 0; remaining -= sizes[sizes.length - 1] ?? remaining) sizes.push(chunkPaths(remaining, chunkSize, workers));
    return sizes;
  };

  it("covers every path once, never above the chunk size, and shrinks the tail so workers finish together", () => {
    const sizes = cut(10_000, 250, 2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...sizes)).toBe(250);
    // 250 while at least 2 x 2 x 250 = 1,000 paths remain; then a quarter of what remains (ceil), down to 10.
    expect(sizes.slice(0, 36).every((s) => s === 250)).toBe(true);
    expect(sizes.slice(36, 40)).toEqual([250, 188, 141, 106]);
    expect(sizes.at(-1)).toBeLessThanOrEqual(10);
  });

  it("keeps small runs and explicit small chunks as they are", () => {
    expect(cut(37, 250, 2)).toEqual([10, 10, 10, 7]);
    expect(cut(240, 37, 1)).toEqual([37, 37, 37, 37, 37, 28, 14, 10, 3]);
  });
});
