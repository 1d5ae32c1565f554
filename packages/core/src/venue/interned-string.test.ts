import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { internedString } from "./interned-string.js";

describe("internedString", () => {
  it("gives back the same text, integer-like and special property names included", () => {
    for (const text of ["mark-notional", "BTC", "futures/isolated/short-perp", "", "0", "123", "-1", "1e3", "__proto__", "constructor", "ü€"]) {
      expect(internedString(text)).toBe(text);
    }
  });

  it("gives back any text unchanged (property)", () => {
    fc.assert(fc.property(fc.string(), (text) => internedString(text) === text));
  });
});
