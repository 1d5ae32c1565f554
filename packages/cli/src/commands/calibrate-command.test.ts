import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { carryLegs, mstress, repositoryRoot } from "./small-carry.test-support.js";

// mstress calibrate end to end, through the built binary: the shipped BTC history (the three fits, their standard
// errors, AIC/BIC and tail counts, checked against figures computed here independently from the file), a fitted
// scenario that validates and runs, the readers behind the command on Binance's zips and a venue's JSON, and bad
// data refused with file, line and column and nothing written.

const work = mkdtempSync(join(tmpdir(), "mstress-calibrate-"));
const shipped = join(repositoryRoot, "scenarios/data/btc-usd-1h-2019-2025.csv");
const hoursPerYear = 8760;

interface ModelJson {
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly notes: readonly string[];
  readonly movesBeyond: readonly { readonly threshold: number; readonly observed: number; readonly expected: number }[];
  readonly [field: string]: unknown;
}

/** The shipped file's close-to-close log returns, read here without mstress's readers. */
function shippedReturns(): number[] {
  const closes = readFileSync(shipped, "utf8").trim().split("\n").slice(1).map((line) => Number(line.split(",")[4]));
  return closes.slice(1).map((close, i) => Math.log(close / (closes[i] ?? 1)));
}

/** `hours` hourly rows of a deterministic random walk (an LCG's uniforms, +-0.6 %), as Binance kline rows in ms. */
function klineRows(startMs: number, hours: number, seed: number): string[] {
  let state = seed;
  let price = 40_000;
  const rows: string[] = [];
  for (let h = 0; h < hours; h++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const open = price;
    price = open * Math.exp(((state / 2_147_483_648) - 0.5) * 0.012);
    const open_time = startMs + h * 3_600_000;
    rows.push(`${String(open_time)},${open.toFixed(2)},${(Math.max(open, price) * 1.001).toFixed(2)},${(Math.min(open, price) * 0.999).toFixed(2)},${price.toFixed(2)},12.5,${String(open_time + 3_599_999)},500000.0,1200,6.1,250000.0,0`);
  }
  return rows;
}

describe("mstress calibrate on the shipped BTC history", () => {
  it("fits gbm, jump-diffusion and garch-t with standard errors, AIC/BIC and tail counts", { timeout: 600_000 }, () => {
    const out = join(work, "btc");
    const result = mstress("calibrate", "scenarios/data/btc-usd-1h-2019-2025.csv", "--json", "--out", out);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, ModelJson> & { recommendation: { model: string; reason: string } };
    const returns = shippedReturns();
    const n = returns.length;
    expect(n).toBe(48_023);

    // GBM's maximum likelihood has a closed form: the step variance is the mean squared deviation (divisor n), the
    // volatility its square root over dt = 1/8760; the drift is mean/dt + sigma^2/2. Its Fisher information gives
    // the standard errors sigma/sqrt(2n) and sigma/sqrt(n dt).
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    const sigma = Math.sqrt((returns.reduce((a, r) => a + (r - mean) ** 2, 0) / n) * hoursPerYear);
    const gbm = json.gbm;
    expect(gbm).toBeDefined();
    expect(Math.abs((gbm?.volatility as number) - sigma)).toBeLessThan(1e-5);
    expect(Math.abs((gbm?.drift as number) - (mean * hoursPerYear + sigma ** 2 / 2))).toBeLessThan(1e-3);
    expect(gbm?.volatilityStandardError as number).toBeCloseTo(sigma / Math.sqrt(2 * n), 5);
    expect(gbm?.driftStandardError as number).toBeCloseTo(sigma / Math.sqrt(n / hoursPerYear), 3);

    // Counted here: hours whose close moved more than 5 % (10 %) either way from the close before.
    const beyond = (t: number): number => returns.filter((r) => r > Math.log1p(t) || r < Math.log1p(-t)).length;
    expect([beyond(0.05), beyond(0.1)]).toEqual([42, 6]);

    const parameters: Record<string, string[]> = {
      gbm: ["drift", "volatility"],
      "jump-diffusion": ["drift", "volatility", "jumps.up.intensity", "jumps.up.mean", "jumps.up.stdDev", "jumps.down.intensity", "jumps.down.mean", "jumps.down.stdDev"],
      "garch-t": ["drift", "volatility", "alpha", "beta", "degreesOfFreedom"],
    };
    for (const [model, fields] of Object.entries(parameters)) {
      const fit = json[model];
      if (fit === undefined) throw new Error(`no ${model} in the JSON`);
      for (const field of fields) {
        const path = field.split(".");
        const leaf = path.pop() ?? field;
        let node: Record<string, unknown> = fit;
        for (const key of path) node = node[key] as Record<string, unknown>;
        expect(typeof node[leaf], `${model} ${field}`).toBe("number");
        const se = node[`${leaf}StandardError`];
        // Every parameter has a standard error, unless the fit says it sits at its bound.
        if (se === null) expect(fit.notes.join("\n"), `${model} ${field}`).toContain(`${field} is at its bound`);
        else expect(se as number, `${model} ${field}`).toBeGreaterThan(0);
      }
      const k = fields.length;
      expect(fit.aic).toBeCloseTo(2 * k - 2 * fit.logLikelihood, 6);
      expect(fit.bic).toBeCloseTo(k * Math.log(n) - 2 * fit.logLikelihood, 6);
      expect(fit.movesBeyond.map((m) => m.observed)).toEqual([42, 6]);
      for (const m of fit.movesBeyond) expect(m.expected).toBeGreaterThanOrEqual(0);
    }
    for (const field of parameters["garch-t"] ?? []) expect((json["garch-t"] as Record<string, unknown>)[`${field}StandardError`], field).not.toBeNull();
    const lowest = Object.keys(parameters).reduce((a, b) => ((json[a]?.bic ?? 0) <= (json[b]?.bic ?? 0) ? a : b));
    expect(json.recommendation.model).toBe(lowest);
    expect(json.recommendation.reason).toContain("lowest BIC");

    expect(readdirSync(out).sort()).toEqual(["calibration.html", "calibration.json", "charts", "fits.csv", "manifest.json", "market-block.yaml"]);
    expect(readdirSync(join(out, "charts")).sort()).toEqual(["calibration-acf.csv", "calibration-acf.vl.json", "calibration-qq.csv", "calibration-qq.vl.json", "calibration-tails.csv", "calibration-tails.vl.json"]);
    expect(JSON.parse(readFileSync(join(out, "calibration.json"), "utf8"))).toEqual(json);
    expect(readdirSync(work).filter((name) => name.includes(".partial"))).toEqual([]);
  });
});

describe("mstress calibrate --scenario --write", () => {
  it("writes a scenario with the fitted market that validates and runs, with where it came from in a comment", { timeout: 600_000 }, () => {
    const scenario = join(work, "carry.yaml");
    writeFileSync(scenario, `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmodes: [isolated, cross, portfolio]\nmarket:\n  horizon: 2d\n  step: 1h\n  assets:\n    BTC:\n      price: 60000\n      model: { kind: gbm, volatility: 0.5 }\n      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0 }\n`);
    const fitted = join(work, "fitted.yaml");
    const result = mstress("calibrate", shipped, "--from", "2024-01-01", "--models", "gbm,garch-t", "--scenario", scenario, "--write", fitted, "--out", join(work, "fitted-calibration"));
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(fitted, "utf8");
    expect(text).toContain("# Fitted by mstress calibrate to btc-usd-1h-2019-2025.csv (sha256 b589dcade20761484edbbfad192092ac71ed0ac3f38e443a781fb7f85a3cef34),");
    expect(text).toContain("# 2024-01-01T00:00:00Z to 2025-05-13T10:00:00Z,");
    expect(text).toMatch(/# Model: (gbm|garch-t), lowest BIC/);
    expect(text).toMatch(/ {6}model:\n {8}kind: (gbm|garch-t)\n/);
    expect(text).toContain("price: 60000");
    expect(mstress("validate", fitted).status).toBe(0);
    const run = mstress("run", fitted, "--paths", "200", "--workers", "1", "--out", join(work, "fitted-run"));
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(work, "fitted-run", "summary.json"))).toBe(true);
    // A second write to the same file is refused: the copy is never overwritten.
    expect(mstress("calibrate", shipped, "--from", "2025-01-01", "--models", "gbm", "--scenario", scenario, "--write", fitted).stderr).toContain("--write:");
  });
});

describe("mstress calibrate reads what a desk has", () => {
  const t0 = Date.UTC(2024, 0, 1);
  const hours = 720;
  // January's dump and February's, each a headerless klines CSV in its monthly zip; February repeats January's
  // last hour (a duplicate, dropped and counted).
  const january = klineRows(t0, hours, 7);
  const february = klineRows(t0 + (hours - 1) * 3_600_000, hours, 11).map((row, i) => (i === 0 ? (january[hours - 1] ?? row) : row));
  const zip = (entry: string, rows: readonly string[]): Uint8Array => zipSync({ [entry]: strToU8(`${rows.join("\n")}\n`) });

  it("joins Binance's monthly kline zips, headerless, and fits funding from its funding zip against binance-usdm's cap", { timeout: 300_000 }, () => {
    writeFileSync(join(work, "BTCUSDT-1h-2024-01.zip"), zip("BTCUSDT-1h-2024-01.csv", january));
    writeFileSync(join(work, "BTCUSDT-1h-2024-02.zip"), zip("BTCUSDT-1h-2024-02.csv", february));
    // Settlements every 8 h through both months; two at the cap (0.3 %), one at the floor.
    const settlements = Array.from({ length: (2 * hours - 1) / 8 }, (_, k) => {
      const rate = k === 10 || k === 50 ? 0.003 : k === 30 ? -0.003 : 0.0001 + 0.00005 * Math.sin(k / 5);
      return `${String(t0 + (k + 1) * 8 * 3_600_000)},8,${rate.toFixed(8)}`;
    });
    writeFileSync(join(work, "BTCUSDT-fundingRate-2024-01.zip"), zipSync({ "BTCUSDT-fundingRate-2024-01.csv": strToU8(`calc_time,funding_interval_hours,last_funding_rate\n${settlements.join("\n")}\n`) }));
    const result = mstress("calibrate", join(work, "BTCUSDT-1h-2024-01.zip"), join(work, "BTCUSDT-1h-2024-02.zip"), "--funding", join(work, "BTCUSDT-fundingRate-2024-01.zip"), "--models", "gbm", "--json", "--out", join(work, "klines"));
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      data: { files: { origin: string; format: string; timestampUnit: string; rows: number }[]; duplicates: number; rows: number; gaps: { count: number } };
      funding: { settlements: number; intervalHours: number; capHits: { venue: string; symbol: string; atCap: number; atFloor: number }; returnCoupling: { observations: number } | null };
    };
    expect(json.data.files.map((f) => [f.origin, f.format, f.timestampUnit, f.rows])).toEqual([
      ["BTCUSDT-1h-2024-01.zip:BTCUSDT-1h-2024-01.csv", "binance-klines", "milliseconds", 720],
      ["BTCUSDT-1h-2024-02.zip:BTCUSDT-1h-2024-02.csv", "binance-klines", "milliseconds", 720],
    ]);
    expect(json.data.duplicates).toBe(1);
    expect(json.data.rows).toBe(2 * hours - 1);
    expect(json.data.gaps.count).toBe(0);
    expect(json.funding.settlements).toBe(settlements.length);
    expect(json.funding.intervalHours).toBe(8);
    expect(json.funding.capHits).toMatchObject({ venue: "binance-usdm", symbol: "BTCUSDT", atCap: 2, atFloor: 1 });
    // 179 settlements at 8 h, 16 h, ...; the first one's interval starts at the first bar's open, before any close,
    // so it has no return: 178 pairs of consecutive settlements for the coupling.
    expect(json.funding.returnCoupling?.observations).toBe(settlements.length - 1);
  });

  it("reads OKX's funding JSON and says the largest gap in a price file, filling it only when asked", { timeout: 300_000 }, () => {
    const rows = klineRows(t0, hours, 3).filter((_, i) => i < 300 || i >= 306);
    writeFileSync(join(work, "gappy.csv"), `open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n${rows.join("\n")}\n`);
    const okx = { code: "0", msg: "", data: Array.from({ length: 80 }, (_, k) => ({ instType: "SWAP", instId: "BTC-USDT-SWAP", formulaType: "withRate", fundingRate: "0.0001", realizedRate: (0.0001 + 0.00002 * Math.cos(k)).toFixed(10), fundingTime: String(t0 + (80 - k) * 8 * 3_600_000), method: "current_period" })) };
    writeFileSync(join(work, "okx.json"), JSON.stringify(okx));
    const plain = mstress("calibrate", join(work, "gappy.csv"), "--funding", join(work, "okx.json"), "--models", "gbm", "--out", join(work, "gappy"));
    expect(plain.status, plain.stderr).toBe(0);
    // Hours 300..305 are missing: one gap of 7 h after the 299th hour (2024-01-13T11:00Z), six steps missing.
    expect(plain.stdout).toContain("gaps 1 (largest 25200 s after 2024-01-13T11:00:00Z), duplicates dropped 0, filled 0");
    expect(plain.stdout).toContain("of BTC-USDT-SWAP");
    expect(plain.stdout).toContain("okx-swap BTC-USDT-SWAP's cap/floor: 0/0");
    const filled = mstress("calibrate", join(work, "gappy.csv"), "--models", "gbm", "--fill", "previous", "--json", "--out", join(work, "filled"));
    expect((JSON.parse(filled.stdout) as { data: { filled: number } }).data.filled).toBe(6);
  });

  it("refuses bad data with the file, line and column, and writes nothing", () => {
    const lines = klineRows(t0, 600, 5);
    lines[3] = (lines[3] ?? "").split(",").map((cell, i) => (i === 4 ? "abc" : cell)).join(",");
    writeFileSync(join(work, "BTCUSDT-1h-2024-03.zip"), zip("BTCUSDT-1h-2024-03.csv", lines));
    const out = join(work, "refused");
    const zipped = mstress("calibrate", join(work, "BTCUSDT-1h-2024-03.zip"), "--out", out);
    expect(zipped.status).toBe(2);
    expect(zipped.stderr).toBe('mstress: BTCUSDT-1h-2024-03.zip:BTCUSDT-1h-2024-03.csv: line 4, column 5 (close): expected a positive price, got "abc"\n');
    writeFileSync(join(work, "backwards.csv"), "timestamp,price\n2024-01-01T00:00:00Z,100\n2024-01-01T02:00:00Z,101\n2024-01-01T01:00:00Z,102\n");
    const backwards = mstress("calibrate", join(work, "backwards.csv"), "--out", out);
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toContain("backwards.csv: line 4, column 1 (timestamp): expected rows in time order");
    writeFileSync(join(work, "empty.csv"), "");
    expect(mstress("calibrate", join(work, "empty.csv"), "--out", out).stderr).toBe("mstress: empty.csv: line 1: expected rows of timestamp,price, found no data rows (an empty file)\n");
    writeFileSync(join(work, "hourly.csv"), `timestamp,price\n${Array.from({ length: 600 }, (_, i) => `${String(1_704_067_200 + i * 3600)},${String(100 + (i % 7))}`).join("\n")}\n`);
    // Hourly rows read at a 30-minute step are all two steps apart: no one-step return is left to fit.
    const halfHour = mstress("calibrate", join(work, "hourly.csv"), "--step", "30m", "--out", out);
    expect(halfHour.status).toBe(2);
    expect(halfHour.stderr).toBe("mstress: prices: expected at least 500 one-step returns to fit, got 0\n");
    const unaligned = `timestamp,price\n${Array.from({ length: 600 }, (_, i) => `${String(1_704_067_200 + i * 3600 + (i === 400 ? 1800 : 0))},${String(100 + (i % 7))}`).join("\n")}\n`;
    writeFileSync(join(work, "unaligned.csv"), unaligned);
    const offGrid = mstress("calibrate", join(work, "unaligned.csv"), "--step", "1h", "--out", out);
    expect(offGrid.status).toBe(2);
    // Row 400 (line 402: header + 400 rows before it) is half an hour late.
    expect(offGrid.stderr).toContain("unaligned.csv: line 402, column 1 (timestamp): expected rows a whole number of steps of 3600 s apart (--step), this row is 5400 s after the previous");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes(".partial"))).toEqual([]);
  });
});

describe("mstress calibrate: history that is not a regular file exits 2 naming it, without waiting on it", () => {
  const fifo = join(work, "prices.fifo");
  execFileSync("mkfifo", [fifo]);

  it.each([
    [[fifo], "prices", fifo],
    [["/dev/zero"], "prices", "/dev/zero"],
    [[join(work, "hourly-fifo-prices.csv"), "--funding", fifo], "--funding", fifo],
  ])("%j", (args, field, named) => {
    writeFileSync(join(work, "hourly-fifo-prices.csv"), `timestamp,price\n${Array.from({ length: 600 }, (_, i) => `${String(1_704_067_200 + i * 3600)},${String(100 + (i % 7))}`).join("\n")}\n`);
    const out = join(work, "not-regular");
    // A blocking read of a FIFO nobody writes to would never return; the test's timeout is the hang detector.
    const run = mstress("calibrate", ...args, "--models", "gbm", "--out", out);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`mstress: ${field}: ${JSON.stringify(named)} is not a regular file (a FIFO, device or socket); expected a history file (CSV, JSON or .zip) of at most 128 MiB\n`);
    expect(existsSync(out)).toBe(false);
  });
});
