import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePathCsv } from "@mstress/core";
import { repositoryRoot } from "../docs/generated-files.js";
import { syntheticPriceCsv, syntheticPriceRecipe } from "./synthetic-prices.js";

describe("scenarios/data/synthetic-btc-1h.csv", () => {
  const text = syntheticPriceCsv();

  it("is what its stated recipe generates, byte for byte (regenerate with pnpm docs:scenario)", () => {
    expect(readFileSync(join(repositoryRoot, "scenarios/data/synthetic-btc-1h.csv"), "utf8") === text).toBe(true);
  });

  it("says it is synthetic and has hourly rows exactly 3,600 s apart, as a 1 h bootstrap needs", () => {
    expect(text.split("\n")[0]).toMatch(/^# SYNTHETIC DATA/);
    const points = parsePathCsv(text, "synthetic", "BTC");
    expect(points).toHaveLength(syntheticPriceRecipe.hours + 1);
    points.forEach((point, i) => { expect(point.t).toBe(i * 3600); });
    expect(points[0]?.prices?.BTC).toBe(syntheticPriceRecipe.startPrice);
  });

  it("is reproducible and depends on its seed", () => {
    expect(syntheticPriceCsv()).toBe(text);
    expect(syntheticPriceCsv({ ...syntheticPriceRecipe, seed: "another" })).not.toBe(text);
  });
});
