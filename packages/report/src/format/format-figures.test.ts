import { describe, expect, it } from "vitest";
import { formatAmount, formatDuration, formatLevel, formatPercent } from "./format-figures.js";

describe("figure formatting", () => {
  it("prints amounts whole with thousands commas and a true minus", () => {
    expect(formatAmount(12_317.29)).toBe("12,317");
    expect(formatAmount(-23.6)).toBe("−24");
    expect(formatAmount(-0.2)).toBe("0");
    expect(formatAmount(null)).toBe("–");
  });

  it("keeps three significant digits below 1 % and two decimals above", () => {
    expect(formatPercent(0.2825)).toBe("28.25 %");
    expect(formatPercent(0.0019172)).toBe("0.192 %");
    expect(formatPercent(0.0001)).toBe("0.0100 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(-0.0934)).toBe("−9.34 %");
  });

  it("prints levels and durations at a reader's resolution", () => {
    expect(formatLevel(0.95)).toBe("95 %");
    expect(formatLevel(0.995)).toBe("99.5 %");
    expect(formatDuration(3 * 86_400 + 9 * 3600)).toBe("3d 9h");
    expect(formatDuration(5 * 3600 + 30 * 60)).toBe("5h 30m");
    expect(formatDuration(86_400)).toBe("1d");
    expect(formatDuration(20)).toBe("20s");
    expect(formatDuration(null)).toBe("–");
  });
});
