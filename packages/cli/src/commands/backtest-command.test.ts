import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { mstress } from "./small-carry.test-support.js";

const work = mkdtempSync(join(tmpdir(), "mstress-backtest-"));
const attack = "</script><script>alert(1)</script>";

interface WorstJson {
  window: number;
  openedAt: string;
  closesAt: string;
  liquidated: boolean;
  liquidatedAt: string | null;
  liquidationPrice: number | null;
  loss: number;
  pnl: number;
}

interface ModeJson {
  windows: number;
  effectiveWindows: number;
  liquidatedWindows: number;
  liquidationFrequency: number;
  liquidationFrequencyCi: [number, number];
  hedgeBrokenWindows: number;
  worstWindows: WorstJson[];
  modelCheck: { paths: number; monteCarloProbability: number; historicalFrequency: number; effectiveWindows: number; z: number; verdict: string; line: string; source: string } | null;
}

// A hand-made hourly OHLC history and a small carry: short 0.5 BTC perp + long 0.5 BTC spot at the scenario's
// $60,000, $5,000 deposited, $1,500 isolated; no fees, no funding, no basis; windows of 2 h, one every 2 h.
const handCsv = `timestamp,open,high,low,close
2024-01-01T00:00:00Z,100,100,100,100
2024-01-01T01:00:00Z,100,101,99,100
2024-01-01T02:00:00Z,100,100.5,99.5,100
2024-01-01T03:00:00Z,100,105,100,104
2024-01-01T04:00:00Z,104,104,103,104
2024-01-01T05:00:00Z,104,121,104,120
2024-01-01T06:00:00Z,120,120,119,120
2024-01-01T07:00:00Z,120,120,90,95
2024-01-01T08:00:00Z,95,96,94,95
2024-01-01T09:00:00Z,95,95,95,95
`;
const handScenario = (name: string): string => `name: ${name}
description: "${attack} <b>not bold</b>"
accounts:
  - { name: futures, venue: binance-usdm, deposit: 5000 }
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 0.5, isolatedMargin: 1500 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 0.5 }
modes: [isolated, cross]
costs: { fees: false, funding: false }
market:
  horizon: 2h
  step: 1h
  assets:
    BTC:
      price: 60000
      model: { kind: gbm, volatility: 2 }
`;
const handFile = join(work, "hand.csv");
const scenarioFile = join(work, "hand.yaml");
writeFileSync(handFile, handCsv);
writeFileSync(scenarioFile, handScenario("hand-backtest"));

describe("mstress backtest: the window arithmetic on a hand-made OHLC file", () => {
  // R = 10 rows, horizon 2 h = 2 rows, every 2 h = 2 rows: windows k = 0 .. floor((10 - 1 - 2) / 2) = 3, opening at
  // the closes of rows 0, 2, 4, 6 (01:00, 03:00, 05:00, 07:00) and monitored over rows 1-2, 3-4, 5-6, 7-8; row 9
  // is left over. They do not overlap (every = horizon), so n_eff = 1 + 3 x 2 h / 2 h = 4.
  //
  // Each opens 0.5 BTC at the scenario's 60,000 (notional 30,000: Binance's first bracket, rate 0.4 %, amount 0),
  // so prices are read as ratios to the window's opening close. The short is liquidated where its equity meets
  // 0.004 x 0.5 x P = 0.002 P:
  //   isolated: 1,500 + 0.5 (60,000 - P) = 0.002 P  ->  P = 31,500 / 0.502 = 62,749.004, a ratio 1.0458167
  //   cross:    5,000 + 0.5 (60,000 - P) = 0.002 P  ->  P = 35,000 / 0.502 = 69,721.116, a ratio 1.1620186
  //             (the spot is not collateral in cross)
  // Window 0 (opens at 100): highs 101, 100.5: ratio 1.01, neither liquidated; it closes at 100: PnL 0.
  // Window 1 (opens at 100): row 3's high 105 passes 1.0458: isolated only. Within the row the price moves
  //   log-linearly from 100 to the high: u = ln 1.0458167 / ln 1.05 = 0.0447981 / 0.0487902 = 0.91818 of the hour,
  //   3,305 s after 03:00, at 104.58167 (62,749.004 / 600). Loss: the whole 1,500 allocation (closed at the mark,
  //   the rest seized: Binance settles at bankruptcy). PnL at the 104 close: the wallet's 3,500 - 5,000 deposit +
  //   the spot's 0.5 x 60,000 x 0.04 = 1,200: -300. Cross is not liquidated (1.05 < 1.162) and is flat: PnL 0.
  // Window 2 (opens at 104): row 5's high 121 is a ratio 1.1634615: both liquidated, log-linearly from 104:
  //   isolated u = 0.0447981 / ln 1.1634615 = 0.0447981 / 0.1513996 = 0.29589: 1,065 s after 05:00, at 108.76494;
  //   cross u = ln 1.1620186 / 0.1513996 = 0.1501587 / 0.1513996 = 0.99180: 3,570 s after 05:00, at 120.84993.
  //   Spot to the 120 close: 0.5 x 60,000 x (120 / 104 - 1) = 4,615.38. Isolated PnL 4,615.38 - 1,500 = 3,115.38.
  //   Cross: the position is closed at its mark, 69,721.1 at the 0.1 tick, realising 0.5 x 9,721.1 = 4,860.55 (the
  //   maintenance margin left stays in the wallet), PnL 4,615.38 - 4,860.55 = -245.17.
  // Window 3 (opens at 120): highs 120, 96: not liquidated; the hedge is flat: PnL 0.
  // So isolated: 2 of 4 windows liquidated (1 and 2), cross 1 of 4 (2); worst isolated by PnL: 1, 0, 3, 2.
  const out = join(work, "hand-out");
  const run = mstress("backtest", scenarioFile, "--history", handFile, "--every", "2h", "--no-model-check", "--json", "--out", out);
  const result = JSON.parse(run.stdout || "{}") as Record<string, ModeJson>;

  it("counts the windows that fit and those liquidated in each mode", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(Object.keys(result)).toEqual(["isolated", "cross"]);
    expect(result.isolated).toMatchObject({ windows: 4, effectiveWindows: 4, liquidatedWindows: 2, liquidationFrequency: 0.5, hedgeBrokenWindows: 2, modelCheck: null });
    expect(result.cross).toMatchObject({ windows: 4, effectiveWindows: 4, liquidatedWindows: 1, liquidationFrequency: 0.25, hedgeBrokenWindows: 1 });
  });

  it("locates each liquidation in its row, at its price, with its loss and PnL", () => {
    const isolated = result.isolated?.worstWindows ?? [];
    expect(isolated.map((w) => w.window)).toEqual([1, 0, 3, 2]);
    const [first, , , last] = isolated;
    expect(first).toMatchObject({ openedAt: "2024-01-01T03:00:00Z", liquidated: true, liquidatedAt: "2024-01-01T03:55:05Z", loss: 1500 });
    expect(first?.liquidationPrice).toBeCloseTo(104.58167, 4);
    expect(first?.pnl).toBeCloseTo(-300, 6);
    expect(last).toMatchObject({ openedAt: "2024-01-01T05:00:00Z", liquidatedAt: "2024-01-01T05:17:45Z", loss: 1500 });
    expect(last?.liquidationPrice).toBeCloseTo(108.76494, 4);
    expect(last?.pnl).toBeCloseTo(3115.38, 2);
    const cross = result.cross?.worstWindows[0];
    expect(cross).toMatchObject({ window: 2, liquidatedAt: "2024-01-01T05:59:30Z" });
    expect(cross?.liquidationPrice).toBeCloseTo(120.84993, 4);
    expect(cross?.loss).toBeCloseTo(4860.55, 6);
    expect(cross?.pnl).toBeCloseTo(-245.17, 2);
  });

  it("writes backtest.html, windows.csv, backtest.json, charts/ and the scenario, with the markup as text", () => {
    expect(readdirSync(out).sort()).toEqual(["backtest.html", "backtest.json", "charts", "manifest.json", "scenario.yaml", "windows.csv"]);
    expect(readdirSync(join(out, "charts")).sort()).toEqual(["backtest-timeline.csv", "backtest-timeline.vl.json", "backtest-window-pnl.csv", "backtest-window-pnl.vl.json"]);
    const [header, ...rows] = readFileSync(join(out, "windows.csv"), "utf8").trim().split("\n");
    expect(header?.split(",").slice(0, 4)).toEqual(["window", "mode", "openedAt", "closesAt"]);
    expect(rows).toHaveLength(8);
    const page = readFileSync(join(out, "backtest.html"), "utf8");
    expect(page.includes("<b>not bold</b>")).toBe(false);
    expect(page.includes("&#60;b&#62;not bold&#60;/b&#62;")).toBe(true);
    expect(page).toContain("every leg&#39;s quantity is scaled by");
  });

  it("says in its output that each window opens at the scenario's notional", () => {
    const text = mstress("backtest", scenarioFile, "--history", handFile, "--every", "2h", "--no-model-check", "--out", join(work, "hand-text"));
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("every leg's quantity is scaled by (the scenario's BTC price 60,000 / the window's opening price); allocations and deposits stay as written");
  });
});

describe("mstress backtest: funding from a file", () => {
  it("converts a 4 h venue's rates to per 8 h and settles them every 8 h from the window's opening", () => {
    // 20 hourly rows flat at 100, a 16 h horizon, one window (opening at 01:00, the close of the first row),
    // settling at 09:00 and 17:00. A Binance funding CSV with 4 h intervals: the rates in force then are those of
    // 08:00 (0.01 % per 4 h) and 16:00 (0.005 % per 4 h), 0.02 % and 0.01 % per 8 h. Binance's BTCUSDT settles every
    // 8 h, so the short receives 30,000 x (0.0002 + 0.0001) = 9.
    const rows = Array.from({ length: 20 }, (_, h) => `${String(1_704_067_200 + 3600 * h)},100,100,100,100`);
    writeFileSync(join(work, "flat.csv"), `timestamp,open,high,low,close\n${rows.join("\n")}\n`);
    const rates = [0.0003, 0.0004, 0.0001, 0.0002, 0.00005, 0.0006];
    writeFileSync(join(work, "funding.csv"), `calc_time,funding_interval_hours,last_funding_rate\n${rates.map((r, i) => `${String((1_704_067_200 + 4 * 3600 * i) * 1000)},4,${String(r)}`).join("\n")}\n`);
    const scenario = handScenario("funded").replace("costs: { fees: false, funding: false }", "costs: { fees: false }").replace("horizon: 2h", "horizon: 16h");
    writeFileSync(join(work, "funded.yaml"), scenario);
    const out = join(work, "funded-out");
    const run = mstress("backtest", join(work, "funded.yaml"), "--history", join(work, "flat.csv"), "--funding", join(work, "funding.csv"), "--no-model-check", "--out", out);
    expect(run.status, run.stderr).toBe(0);
    const [header = "", ...lines] = readFileSync(join(out, "windows.csv"), "utf8").trim().split("\n");
    const column = header.split(",").indexOf("fundingReceived");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(Number(line.split(",")[column])).toBeCloseTo(9, 10);
    expect(run.stdout).toContain("Funding: the rate in force (the latest settlement) from");
  });
});

describe("mstress backtest --basis: the files' basis in force at each row, against the scenario's mean", () => {
  // Five hourly bars flat at 100 (00:00 to 04:00, closing 01:00 to 05:00), a 2 h horizon, one window every 2 h:
  // windows k = 0 .. floor((5 - 1 - 2) / 2) = 1, opening at the closes of 01:00 and 03:00, monitored over the rows
  // closing 02:00, 03:00 and 04:00, 05:00. Each opens 0.5 BTC short perp + 0.5 BTC spot at 60,000 ($5,000
  // deposited, $450 isolated); no fees, no funding. The index never moves, so only the basis moves the perp's
  // mark M = 60,000 x (1 + b); the spot is valued at the index and never moves.
  //
  // The perp enters at the mark of the opening row, E = 60,000 x (1 + b0), and is liquidated where its equity
  // meets the maintenance margin 0.004 x 0.5 x M (Binance's first bracket, amount 0):
  //   isolated: 450 + 0.5 (E - M) = 0.002 M   ->  M = (450 + 0.5 E) / 0.502
  //   cross:  5,000 + 0.5 (E - M) = 0.002 M   ->  M = (5,000 + 0.5 E) / 0.502
  // The scenario's basis mean, 0.0002, held: M never leaves E, nothing is liquidated; every PnL is 0.
  // The file (values in force from their timestamps, each half an hour before a row's close):
  //   00:30 0, 01:30 0.012, 02:30 0, 03:30 0.005, 04:30 0 -> at the closes 01:00..05:00: 0, 0.012, 0, 0.005, 0.
  // Window 0 opens at b0 = 0, E = 60,000: isolated's mark at liquidation 30,450 / 0.502 = 60,657.371, a basis of
  //   0.0109562. The row closing 02:00 takes the basis linearly from 0 to 0.012: M = 60,000 x 1.012 = 60,720 passes
  //   it, at u = 0.0109562 / 0.012 = 0.913015 of the row, 3,286.85 s after 01:00 (01:54:47), at a mark of
  //   60,657.371 / 600 (the scale 60,000 / 100) = 101.09562 in the history's prices. Loss: the whole 450
  //   allocation; the spot is flat: PnL -450. Cross needs (5,000 + 30,000) / 0.502 = 69,721.1, a basis of 16.2 %:
  //   not liquidated; the basis is 0 again at 03:00: PnL 0.
  // Window 1 opens at b0 = 0 too; 0.005 (a mark of 60,300) liquidates neither mode; PnL 0.
  // So with the file isolated is liquidated in 1 of 2 windows, without it in none.
  const flat = Array.from({ length: 5 }, (_, h) => `${String(1_704_067_200 + 3600 * h)},100,100,100,100`);
  const basisScenario = handScenario("basis-backtest")
    .replace("isolatedMargin: 1500", "isolatedMargin: 450")
    .replace("      model: { kind: gbm, volatility: 2 }", "      model: { kind: gbm, volatility: 2 }\n      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: 6h }");
  writeFileSync(join(work, "basis.yaml"), basisScenario);
  writeFileSync(join(work, "flat5.csv"), `timestamp,open,high,low,close\n${flat.join("\n")}\n`);
  const values = [0, 0.012, 0, 0.005, 0];
  writeFileSync(join(work, "basis.csv"), `timestamp,basis\n${values.map((b, h) => `${String(1_704_067_200 + 1800 + 3600 * h)},${String(b)}`).join("\n")}\n`);
  const backtest = (name: string, ...extra: string[]) => {
    const out = join(work, name);
    const run = mstress("backtest", join(work, "basis.yaml"), "--history", join(work, "flat5.csv"), ...extra, "--every", "2h", "--no-model-check", "--json", "--out", out);
    return { run, out, result: JSON.parse(run.stdout || "{}") as Record<string, ModeJson> };
  };
  const model = backtest("basis-model");
  const fromFile = backtest("basis-file", "--basis", join(work, "basis.csv"));

  it("liquidates isolated in the window whose basis passes its liquidation mark, where the model's mean liquidates nothing", () => {
    expect(model.run.status, model.run.stderr).toBe(0);
    expect(fromFile.run.status, fromFile.run.stderr).toBe(0);
    expect(model.result.isolated).toMatchObject({ windows: 2, liquidatedWindows: 0 });
    expect(model.result.cross).toMatchObject({ windows: 2, liquidatedWindows: 0 });
    expect(fromFile.result.isolated).toMatchObject({ windows: 2, liquidatedWindows: 1 });
    expect(fromFile.result.cross).toMatchObject({ windows: 2, liquidatedWindows: 0 });
    const worst = fromFile.result.isolated?.worstWindows[0];
    expect(worst).toMatchObject({ window: 0, openedAt: "2024-01-01T01:00:00Z", liquidated: true, liquidatedAt: "2024-01-01T01:54:47Z", loss: 450 });
    expect(worst?.liquidationPrice).toBeCloseTo(101.09562, 4);
    expect(worst?.pnl).toBeCloseTo(-450, 6);
    for (const w of model.result.isolated?.worstWindows ?? []) expect(w.pnl).toBeCloseTo(0, 9);
    expect(fromFile.run.stderr).toBe(`mstress: backtest in ${fromFile.out}\n`);
  });

  it("says where the basis came from, and records the files", () => {
    const text = mstress("backtest", join(work, "basis.yaml"), "--history", join(work, "flat5.csv"), "--basis", join(work, "basis.csv"), "--every", "2h", "--no-model-check", "--out", join(work, "basis-text"));
    expect(text.stdout).toContain(`Basis: the value in force (the latest at or before each row's close) from ${join(work, "basis.csv")} (basis-csv, timestamps in seconds, 5 rows`);
    expect(model.run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(fromFile.out, "manifest.json"), "utf8")) as { basis: { origin: string; rows: number }[] };
    expect(manifest.basis).toMatchObject([{ origin: join(work, "basis.csv"), rows: 5 }]);
  });

  it("reads Binance's premium index klines zip to the same windows.csv bytes", () => {
    // The same values as the bars' closes: a bar opening at 00:00 closes (1 ms before) 01:00, and its close is in
    // force from 01:00, so the bars opening 00:00..04:00 give 0, 0.012, 0, 0.005, 0 at the closes 01:00..05:00.
    const klines = values.map((b, h) => {
      const open = (1_704_067_200 + 3600 * h) * 1000;
      return `${String(open)},0,${String(Math.max(b, 0))},0,${String(b)},0,${String(open + 3_599_999)},0,720,0,0,0`;
    });
    const header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
    writeFileSync(join(work, "BTCUSDT-1h-2024-01.zip"), zipSync({ "BTCUSDT-1h-2024-01.csv": strToU8(`${header}\n${klines.join("\n")}\n`) }));
    const zipped = backtest("basis-zip", "--basis", join(work, "BTCUSDT-1h-2024-01.zip"));
    expect(zipped.run.status, zipped.run.stderr).toBe(0);
    expect(readFileSync(join(zipped.out, "windows.csv")).equals(readFileSync(join(fromFile.out, "windows.csv")))).toBe(true);
  });

  it("refuses a basis file that starts after the first window opens, and a price file given as basis", () => {
    writeFileSync(join(work, "late-basis.csv"), `timestamp,basis\n${String(1_704_067_200 + 3 * 3600)},0\n${String(1_704_067_200 + 4 * 3600)},0\n`);
    const late = backtest("basis-late", "--basis", join(work, "late-basis.csv"));
    expect(late.run.status).toBe(2);
    expect(late.run.stderr).toBe("mstress: --basis: no value at or before 2024-01-01T01:00:00Z, where the first window opens; the basis files start at 2024-01-01T03:00:00Z: expected a basis over every window (narrow the history with --from)\n");
    expect(existsSync(late.out)).toBe(false);
    const prices = backtest("basis-prices", "--basis", join(work, "flat5.csv"));
    expect(prices.run.status).toBe(2);
    expect(prices.run.stderr).toMatch(/^mstress: .*flat5\.csv: line 1, column 2 \(open\): expected a header naming a basis column \(timestamp,basis\)/);
  });
});

describe("mstress backtest: bad input exits 2 with nothing written", () => {
  it("names the file, line and column of a bad price", () => {
    const bad = join(work, "bad.csv");
    writeFileSync(bad, handCsv.replace("2024-01-01T03:00:00Z,100,105,100,104", "2024-01-01T03:00:00Z,100,105,100,abc"));
    const out = join(work, "bad-out");
    const run = mstress("backtest", scenarioFile, "--history", bad, "--no-model-check", "--out", out);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`mstress: ${bad}: line 5, column 5 (close): expected a positive price, got "abc"\n`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes("partial"))).toEqual([]);
  });

  it("names the flag: no history, a missing file, funding given as prices, a bad --every", () => {
    expect(mstress("backtest", scenarioFile).stderr).toMatch(/required option '--history <prices>' not specified/);
    const missing = mstress("backtest", scenarioFile, "--history", join(work, "nope.csv"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`mstress: --history: ${JSON.stringify(join(work, "nope.csv"))} does not exist; expected a history file (CSV, JSON or .zip) of at most 128 MiB\n`);
    const swapped = mstress("backtest", scenarioFile, "--history", handFile, "--funding", handFile, "--no-model-check");
    expect(swapped.status).toBe(2);
    expect(swapped.stderr).toContain("--funding:");
    expect(swapped.stderr).toContain("holds prices");
    const every = mstress("backtest", scenarioFile, "--history", handFile, "--every", "90m");
    expect(every.status).toBe(2);
    expect(every.stderr).toContain("--every: expected a whole number of the history's 3600 s steps");
  });
});

describe("mstress backtest: Binance's monthly zips, read by calibrate's reader", () => {
  it("gives the same windows.csv bytes on a zip as on the CSV inside it, and names the entry in the manifest", () => {
    const zipped = join(work, "hand.zip");
    writeFileSync(zipped, zipSync({ "hand.csv": strToU8(handCsv) }));
    const fromCsv = mstress("backtest", scenarioFile, "--history", handFile, "--every", "2h", "--no-model-check", "--out", join(work, "from-csv"));
    const fromZip = mstress("backtest", scenarioFile, "--history", zipped, "--every", "2h", "--no-model-check", "--out", join(work, "from-zip"));
    expect(fromCsv.status, fromCsv.stderr).toBe(0);
    expect(fromZip.status, fromZip.stderr).toBe(0);
    const csvWindows = readFileSync(join(work, "from-csv", "windows.csv"));
    // The hand-made file's 4 windows x 2 modes (see its comment above), then byte for byte the same.
    expect(csvWindows.toString("utf8").trim().split("\n")).toHaveLength(1 + 8);
    expect(readFileSync(join(work, "from-zip", "windows.csv")).equals(csvWindows)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(work, "from-zip", "manifest.json"), "utf8")) as { history: { origin: string; format: string; rows: number }[] };
    expect(manifest.history).toMatchObject([{ origin: `${zipped}:hand.csv`, format: "ohlc-csv", rows: 10 }]);
  });

  it("names the zip and the entry in a bad price's message", () => {
    const bad = join(work, "bad.zip");
    writeFileSync(bad, zipSync({ "bad.csv": strToU8(handCsv.replace("2024-01-01T03:00:00Z,100,105,100,104", "2024-01-01T03:00:00Z,100,105,100,abc")) }));
    const run = mstress("backtest", scenarioFile, "--history", bad, "--no-model-check", "--out", join(work, "bad-zip-out"));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`mstress: ${bad}:bad.csv: line 5, column 5 (close): expected a positive price, got "abc"\n`);
    expect(existsSync(join(work, "bad-zip-out"))).toBe(false);
  });
});

describe("mstress backtest: history that is not a regular file exits 2 naming it, without waiting on it", () => {
  const fifo = join(work, "history.fifo");
  execFileSync("mkfifo", [fifo]);

  it.each([
    ["--history", fifo],
    ["--history", "/dev/zero"],
    ["--funding", fifo],
  ])("%s %s", (flag, path) => {
    const out = join(work, `not-regular-${flag.slice(2)}-${String(path.length)}`);
    const args = flag === "--history" ? ["--history", path] : ["--history", handFile, "--funding", path];
    // spawnSync would wait for ever on a FIFO read by a blocking open; the test's timeout is the hang detector.
    const run = mstress("backtest", scenarioFile, ...args, "--no-model-check", "--out", out);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`mstress: ${flag}: ${JSON.stringify(path)} is not a regular file (a FIFO, device or socket); expected a history file (CSV, JSON or .zip) of at most 128 MiB\n`);
    expect(existsSync(out)).toBe(false);
  });
});

describe("mstress backtest --against: the model check against a finished run", () => {
  const runDir = join(work, "hand-run");
  const simulated = mstress("run", scenarioFile, "--paths", "200", "--seed", "3", "--workers", "1", "--out", runDir);
  const out = join(work, "against-out");
  const run = mstress("backtest", scenarioFile, "--history", handFile, "--every", "2h", "--against", runDir, "--json", "--out", out);
  const result = JSON.parse(run.stdout || "{}") as Record<string, ModeJson>;

  it("puts the run's probability beside the historical frequency with the test on the effective count", () => {
    expect(simulated.status, simulated.stderr).toBe(0);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8")) as { modes: Record<string, { liquidations: number; paths: number }> };
    for (const mode of ["isolated", "cross"]) {
      const check = result[mode]?.modelCheck;
      const mc = summary.modes[mode];
      if (check === undefined || check === null || mc === undefined) throw new Error(`no model check for ${mode}`);
      expect(check.paths).toBe(200);
      expect(check.monteCarloProbability).toBe(mc.liquidations / mc.paths);
      // The pooled two-proportion z on the effective count (4 windows here), recomputed from the two counts.
      const f = result[mode]?.liquidationFrequency ?? Number.NaN;
      const q = (f * 4 + mc.liquidations) / (4 + mc.paths);
      const z = (f - mc.liquidations / mc.paths) / Math.sqrt(q * (1 - q) * (1 / 4 + 1 / mc.paths));
      expect(check.z).toBeCloseTo(z, 12);
      expect(check.verdict).toBe(z > 1.959964 ? "understates" : z < -1.959964 ? "overstates" : "agrees");
      expect(check.line.startsWith(`${mode}: the model `)).toBe(true);
      expect(check.source).toContain(runDir);
    }
    expect(readdirSync(join(out, "charts"))).toContain("backtest-model-check.vl.json");
  });

  it("refuses a run of another scenario file, naming --against", () => {
    const other = join(work, "other.yaml");
    writeFileSync(other, handScenario("other-route"));
    const refused = mstress("backtest", other, "--history", handFile, "--every", "2h", "--against", runDir, "--out", join(work, "refused"));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^mstress: --against: .* is a run of hand-backtest .*expected a run of the scenario being backtested\n$/);
    expect(existsSync(join(work, "refused"))).toBe(false);
  });
});

describe("mstress backtest scenarios/funding-arb-btc.yaml on the shipped BTC history (weekly windows)", () => {
  // The README's carry on 2019-11 to 2025-05, one 30-day window a week (the daily run is in the README and
  // docs/backtest.md), checked against a small run of the same scenario.
  const history = "scenarios/data/btc-usd-1h-2019-2025.csv";
  const runDir = join(work, "carry-run");
  const simulated = mstress("run", "scenarios/funding-arb-btc.yaml", "--paths", "300", "--seed", "7", "--workers", "2", "--out", runDir);
  const out = join(work, "carry-backtest");
  const run = mstress("backtest", "scenarios/funding-arb-btc.yaml", "--history", history, "--every", "7d", "--against", runDir, "--json", "--out", out);
  const result = JSON.parse(run.stdout || "{}") as Record<string, ModeJson>;
  const csv = readFileSync(join(out, "windows.csv"), "utf8").trim().split("\n");
  const columns = csv[0]?.split(",") ?? [];
  const cells = csv.slice(1).map((line) => line.split(","));
  const cell = (row: readonly string[], name: string): string => row[columns.indexOf(name)] ?? "";

  it("gives every mode's frequency over the 282 weekly windows, with the effective count", () => {
    expect(simulated.status, simulated.stderr).toBe(0);
    expect(run.status, run.stderr).toBe(0);
    // 48,024 rows, 720 per window, 168 between openings: floor((48,024 - 1 - 720) / 168) + 1 = 281 + 1 = 282;
    // n_eff = 1 + 281 x 7 / 30 = 66.57.
    for (const mode of ["isolated", "cross", "portfolio"]) {
      const figures = result[mode];
      expect(figures?.windows, mode).toBe(282);
      expect(figures?.effectiveWindows, mode).toBeCloseTo(66.5667, 3);
      const liquidated = cells.filter((row) => cell(row, "mode") === mode && cell(row, "liquidated") === "yes").length;
      expect(figures?.liquidatedWindows, mode).toBe(liquidated);
      expect(figures?.liquidationFrequency, mode).toBe(liquidated / 282);
      expect(figures?.modelCheck?.paths, mode).toBe(300);
      expect(figures?.modelCheck?.line.startsWith(`${mode}: the model `), mode).toBe(true);
    }
  });

  it("liquidates exactly the windows whose highs pass the closed-form liquidation price (outside a 2 % band)", () => {
    // Independently of the evaluator: at the scenario's notional (1 BTC at 60,000, mark 60,012 with the 0.02 %
    // basis; Binance's second bracket: rate 0.5 %, amount 50) the short is liquidated where its margin meets the
    // maintenance margin, at a mark (margin + 50 + 60,012) / 1.005:
    //   isolated: $3,000 allocated      -> 62,748.3, an index 1.04560 x the opening
    //   cross: $10,000 less the $30 fee -> 69,683.6, an index 1.16116 x the opening
    // Funding moves the margin by at most about 1.2 % of the notional over 30 days (90 settlements of 0.01 % plus
    // the coupling), so a window whose highest high is more than 2 % beyond that ratio is liquidated and one more
    // than 2 % short of it is not.
    const text = readFileSync(history, "utf8").trim().split("\n").slice(1).map((line) => line.split(",").map(Number));
    const threshold = { isolated: 62748.3 / 60012, cross: 69683.6 / 60012 };
    let decided = 0;
    for (const row of cells) {
      const mode = cell(row, "mode");
      if (mode !== "isolated" && mode !== "cross") continue;
      const open = Number(cell(row, "window")) * 168;
      let peak = 0;
      for (let r = open + 1; r <= open + 720; r++) peak = Math.max(peak, text[r]?.[2] ?? 0, text[r]?.[4] ?? 0);
      const ratio = peak / (text[open]?.[4] ?? Number.NaN);
      if (ratio > threshold[mode] * 1.02) {
        expect(cell(row, "liquidated"), `${mode} window ${cell(row, "openedAt")}`).toBe("yes");
        decided++;
      } else if (ratio < threshold[mode] * 0.98) {
        expect(cell(row, "liquidated"), `${mode} window ${cell(row, "openedAt")}`).toBe("no");
        decided++;
      }
    }
    expect(decided).toBeGreaterThan(400);
  });

  it("lists the March 2020 crash among isolated's worst windows, and liquidates cross in its rebound", () => {
    const crash = Date.parse("2020-03-12T12:00:00Z");
    const covers = (w: WorstJson): boolean => Date.parse(w.openedAt) <= crash && crash < Date.parse(w.closesAt);
    expect(result.isolated?.worstWindows.some(covers)).toBe(true);
    // Windows opened in the crash (2020-03-11 and 2020-03-18 at 12:00) saw BTC rebound from ~5,000 to ~6,900.
    const march = cells.filter((row) => cell(row, "mode") === "cross" && cell(row, "openedAt").startsWith("2020-03") && cell(row, "liquidated") === "yes");
    expect(march.length).toBeGreaterThan(0);
    for (const row of march) expect(cell(row, "liquidatedAt").startsWith("2020-03") || cell(row, "liquidatedAt").startsWith("2020-04")).toBe(true);
  });

  it("never liquidates cross in a window where isolated survives (cross has more margin against the same short)", () => {
    const isolated = new Map(cells.filter((row) => cell(row, "mode") === "isolated").map((row) => [cell(row, "window"), cell(row, "liquidated")]));
    for (const row of cells.filter((r) => cell(r, "mode") === "cross" && cell(r, "liquidated") === "yes")) expect(isolated.get(cell(row, "window"))).toBe("yes");
  });
});
