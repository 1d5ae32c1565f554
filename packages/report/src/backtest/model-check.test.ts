import { describe, expect, it } from "vitest";
import { wilsonInterval, wilsonIntervalOf } from "../statistics/wilson-interval.js";
import { modelCheck } from "./model-check.js";

const history = (frequency: number, effectiveWindows: number) => ({ frequency, ci: wilsonIntervalOf(frequency, effectiveWindows), windows: 1500, effectiveWindows });

describe("modelCheck: the Monte Carlo beside history", () => {
  it("says the model understates when history liquidates far more often (z by hand)", () => {
    // History 30 % of 50 effective windows (15 events), the model 100 of 1,000 paths (10 %). Pooled
    // q = (15 + 100) / 1,050 = 0.1095238; se = sqrt(q (1 - q) (1/50 + 1/1,000)) = sqrt(0.1095238 x 0.8904762 x 0.021)
    // = 0.0452566; z = (0.30 - 0.10) / 0.0452566 = 4.4192.
    const check = modelCheck("cross", history(0.3, 50), { liquidations: 100, paths: 1000, source: "results/run" });
    expect(check.z).toBeCloseTo(4.4192, 3);
    expect(check.verdict).toBe("understates");
    expect(check.monteCarloProbability).toBe(0.1);
    expect(check.monteCarloCi).toEqual(wilsonInterval(100, 1000));
    expect(check.line).toMatch(/^cross: the model understates the liquidation risk history shows: Monte Carlo 10\.00 % .* against 30\.00 % .*z = 4\.42, beyond ±1\.96$/);
  });

  it("says the model overstates when history liquidates far less often", () => {
    // History 5 % of 60 (3 events), the model 300 of 1,000 (30 %): q = 303 / 1,060 = 0.285849,
    // se = sqrt(0.285849 x 0.714151 x (1/60 + 1/1,000)) = sqrt(0.204140 x 0.0176667) = 0.0600538,
    // z = -0.25 / 0.0600538 = -4.1629.
    const check = modelCheck("isolated", history(0.05, 60), { liquidations: 300, paths: 1000, source: "results/run" });
    expect(check.z).toBeCloseTo(-4.1629, 3);
    expect(check.verdict).toBe("overstates");
  });

  it("agrees within sampling error, and when neither ever liquidates", () => {
    // History 36.6 % of 66.7, the model 29.95 %: the effective count is small, so a 7-point gap is within error.
    expect(modelCheck("cross", history(0.366, 66.7), { liquidations: 599, paths: 2000, source: "x" }).verdict).toBe("agrees");
    const none = modelCheck("portfolio", history(0, 66.7), { liquidations: 0, paths: 2000, source: "x" });
    expect(none.z).toBe(0);
    expect(none.verdict).toBe("agrees");
    expect(none.line).toContain("the model agrees with history within sampling error");
  });
});
