import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryLegs, carryMarket, mstressBin } from "./small-carry.test-support.js";

// Every input that once crashed with exit 4 and a stack trace (issue 17), now one line naming the field or file,
// exit 2, and nothing written: not the --out directory, not a partial directory, not a lock.

const work = mkdtempSync(join(tmpdir(), "mstress-bad-input-"));
const carry = (market = carryMarket, extra = ""): string => `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\n${extra}market:\n${market}\n`;
const scenario = (name: string, text: string): string => {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};
const good = scenario("good", carry());

const mstress = (...args: string[]) => spawnSync(process.execPath, [mstressBin, ...args], { cwd: work, encoding: "utf8" });

/** Runs `args`, expects exit 2 with every stderr line a `mstress:` line matching `message`, and nothing new in the work directory. */
function refused(args: readonly string[], message: RegExp, lines = 1): string {
  const before = readdirSync(work).sort();
  const run = mstress(...args);
  expect(run.status, run.stderr).toBe(2);
  const stderr = run.stderr.trim().split("\n");
  expect(stderr).toHaveLength(lines);
  expect(stderr.every((line) => line.startsWith("mstress: "))).toBe(true);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(readdirSync(work).sort()).toEqual(before);
  return run.stderr;
}

describe("files that are not scenario, venue or CSV files", () => {
  mkdirSync(join(work, "a-directory"), { recursive: true });
  execFileSync("mkfifo", [join(work, "a-fifo")]);
  writeFileSync(join(work, "huge.yaml"), `# ${"x".repeat(1024 * 1024)}\n${carry()}`);

  it.each([
    [["run", "missing.yaml"], /scenario: "missing\.yaml" does not exist; expected a scenario file \(YAML\) of at most 1 MiB/],
    [["run", "a-directory"], /scenario: "a-directory" is a directory/],
    [["sweep", "a-directory", "--set", "vol=0.3"], /scenario: "a-directory" is a directory/],
    [["run", "/dev/zero"], /scenario: "\/dev\/zero" is not a regular file \(a FIFO, device or socket\)/],
    [["run", "a-fifo"], /scenario: "a-fifo" is not a regular file/],
    [["validate", "huge.yaml"], /scenario: "huge\.yaml" is 1 MiB; expected a scenario file \(YAML\) of at most 1 MiB/],
  ])("%j", (args, message) => {
    refused(args, message);
  });

  it("refuses a directory, a device or a FIFO as a venue or a CSV path, and never echoes a file's content", () => {
    refused(["run", scenario("venue-dir", carry().replace("venue: binance-usdm", "venue: ./a-directory/"))], /accounts\.futures\.venue: ".*a-directory" is a directory; expected a venue file \(YAML or JSON\) of at most 1 MiB/);
    refused(["run", scenario("venue-zero", carry().replace("venue: binance-usdm", "venue: /dev/zero"))], /accounts\.futures\.venue: "\/dev\/zero" is not a regular file/);
    refused(["liq", "--venue", work, "--symbol", "BTCUSDT", "--mode", "isolated", "--side", "short", "--entry", "60000", "--qty", "1", "--margin", "3000"], /--venue: ".*" is a directory/);
    const bootstrap = (csv: string): string => carryMarket.replace(/model: \{[^\n]*\}/, `model: { kind: bootstrap, csv: ${csv}, blockLength: 24 }`);
    refused(["run", scenario("csv-fifo", carry(bootstrap("a-fifo")))], /market\.assets\.BTC\.model\.csv: ".*a-fifo" is not a regular file \(a FIFO, device or socket\); expected a CSV file of at most 128 MiB/);
    const passwd = refused(["run", scenario("venue-passwd", carry().replace("venue: binance-usdm", "venue: ../../../../../../etc/passwd"))], /passwd/);
    expect(passwd).not.toMatch(/root:|\/bin\/|nologin/);
    const csvPasswd = refused(["run", scenario("csv-passwd", carry(bootstrap("../../../../../../etc/passwd")))], /passwd: line 1, column 2 \(\): expected a header naming a price column .*, got a line that is not a CSV header of numbers, times or names \(not shown\)/);
    expect(csvPasswd).not.toMatch(/root:|\/bin\/|nologin/);
  });
});

describe("--out that cannot take a result, checked before simulating", () => {
  writeFileSync(join(work, "a-file"), "mine");

  it.each([
    [["--out", "a-file"], /--out: ".*a-file" is a file \(or a device\), not a directory/],
    [["--out", "/dev/null"], /--out: "\/dev\/null" is a file \(or a device\), not a directory/],
    [["--out", "a-file/sub"], /--out: ".*a-file\/sub" cannot be created: a part of its path is a file/],
  ])("%j", (flags, message) => {
    const stderr = refused(["run", good, "--paths", "10", ...flags], message);
    expect(stderr).not.toContain("paths/s");
  });

  // Mounting a tmpfs needs root (CAP_SYS_ADMIN). Where it is not allowed the test is reported as skipped, with the
  // reason, never as passed. MSTRESS_REQUIRE_MOUNT=1 makes a machine that cannot mount fail here instead (for a
  // runner known to allow it; .ci/run leaves it unset, as a CI container may lack the capability).
  it("refuses a read-only file system before simulating, and a disk too small for the result", (ctx) => {
    const mounted: string[] = [];
    /** A fresh tmpfs mounted with `options`; throws mount's own message where mounting is not allowed. */
    const tmpfs = (name: string, options: string): string => {
      const dir = mkdtempSync(join(tmpdir(), `mstress-mount-${name}-`));
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: ["ignore", "ignore", "pipe"] });
      } catch (error) {
        rmdirSync(dir);
        const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
        throw new Error(stderr === undefined || stderr === "" ? String(error) : stderr);
      }
      mounted.push(dir);
      return dir;
    };
    try {
      let mounts: { readOnly: string; small: string };
      try {
        mounts = { readOnly: tmpfs("ro", "ro,size=64m"), small: tmpfs("small", "size=2m") };
      } catch (error) {
        const reason = (error as Error).message;
        if (process.env.MSTRESS_REQUIRE_MOUNT === "1") throw new Error(`MSTRESS_REQUIRE_MOUNT=1 but a tmpfs cannot be mounted here: ${reason}`);
        ctx.skip(`mounting a tmpfs is not allowed here (needs root with CAP_SYS_ADMIN): ${reason}`);
        return;
      }
      const { readOnly, small } = mounts;
      expect(refused(["run", good, "--paths", "20", "--out", join(readOnly, "out")], /--out: ".*out" cannot be written \(read-only file system\)/)).not.toContain("paths/s");
      refused(["run", good, "--paths", "20", "--out", join(small, "out")], /--out: the result needs about .* MiB and 2 MiB is free/);
      expect(readdirSync(small)).toEqual([]);
    } finally {
      for (const dir of mounted) {
        execFileSync("umount", [dir]);
        rmdirSync(dir);
      }
    }
  });
});

describe("values that pass a type check and would break the run", () => {
  const market = (edit: (text: string) => string): string => edit(carryMarket);
  it.each([
    ["drift 1e6", carry(market((m) => m.replace("kind: jump-diffusion,", "kind: jump-diffusion, drift: 1e6,"))), /market\.assets\.BTC\.model\.drift: expected a value <= 10, got 1000000/],
    ["drift -1e6", carry(market((m) => m.replace("kind: jump-diffusion,", "kind: jump-diffusion, drift: -1e6,"))), /model\.drift: expected a value >= -10, got -1000000/],
    ["volatility 1e6", carry(market((m) => m.replace("volatility: 0.6", "volatility: 1e6"))), /model\.volatility: expected a value <= 10, got 1000000/],
    ["qty 1e-320", carry().replace("qty: 1, isolatedMargin", "qty: 1e-320, isolatedMargin"), /legs\.short-perp\.qty: expected a value >= 1e-8, got 1e-320/],
    ["a stress move of 1e300", carry(`${carryMarket}\n  stress:\n    - { at: 1d, over: 1h, move: 1e300 }`), /market\.stress\.0\.move: expected a value <= 10, got 1e\+300/],
    ["an infinite deposit", carry().replace("deposit: 10000", "deposit: .inf"), /accounts\.futures\.deposit: expected a finite number, got Infinity/],
    ["modes listed twice", carry(carryMarket, "modes: [cross, cross]\n"), /modes: expected each mode once, got cross twice/],
    ["a venueOffset for a venue no account uses", carry(carryMarket.replace("returnCoupling: 0.01 }", "returnCoupling: 0.01, venueOffset: { binance-usdmm: 0.001 } }")), /market\.assets\.BTC\.funding\.venueOffset: expected a venue an account uses \(binance-usdm\), got "binance-usdmm"/],
    ["the YAML alias bomb", `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n`, /malformed YAML: Excessive alias count/],
  ])("%s", (name, text, message) => {
    refused(["run", scenario(name.replace(/\W+/g, "-"), text), "--paths", "5", "--out", "never"], message);
  });

  it("refuses the same through sweep --set, and duplicate --modes, and an empty shard", () => {
    refused(["sweep", good, "--set", "vol=0.3,1e6", "--paths", "5", "--out", "never"], /\[vol=1000000\]: market\.assets\.BTC\.model\.volatility: expected a value <= 10/);
    refused(["run", good, "--modes", "cross,cross", "--out", "never"], /--modes .* expected each mode once, got cross twice/);
    refused(["run", good, "--paths", "200", "--shard", "1/300", "--out", "never"], /--shard: shard 1\/300 of 200 paths holds no path; expected at most 200 shards/);
  });

  it("refuses a run that cannot fit in memory, naming --shard", () => {
    refused(["run", good, "--paths", "2000000000", "--out", "never"], /--paths: 2000000000 paths need about .* MiB of memory and .* is available; .* --shard 1\/\d+/);
  });

  it("refuses liq sizes beyond the last bracket's cap", () => {
    refused(["liq", "--venue", "binance-usdm", "--symbol", "BTCUSDT", "--mode", "isolated", "--side", "short", "--entry", "60000", "--qty", "1e300", "--margin", "3000"], /--qty: .* beyond the 1800000000 cap of binance-usdm's last BTCUSDT bracket; expected at most 30000/);
  });
});

describe("--workers above the cores available", () => {
  it("is capped with a warning, and the run completes", () => {
    const run = mstress("run", good, "--paths", "5", "--workers", "1000", "--out", "capped");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: --workers 1000 is more than the \d+ cores? available; using \d+/);
    expect((JSON.parse(readFileSync(join(work, "capped", "manifest.json"), "utf8")) as { workers: number }).workers).toBeLessThan(1000);
  });
});

describe("mstress report on a shard", () => {
  it("is refused as trend refuses it: a shard's verdict would be half a run's", () => {
    const run = mstress("run", good, "--paths", "10", "--workers", "1", "--shard", "1/2", "--out", "a-shard");
    expect(run.status, run.stderr).toBe(0);
    refused(["report", "a-shard"], /report: "a-shard" is shard 1\/2 of a run; expected a whole run \(mstress merge the shards first/);
  });
});
