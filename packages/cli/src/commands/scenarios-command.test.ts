import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scenarioHeader } from "../scenario/shipped-scenarios.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");

describe("mstress scenarios", () => {
  it("finds the shipped scenarios next to the installed CLI, from any working directory", () => {
    const result = spawnSync(process.execPath, [bin, "scenarios", "--json"], { encoding: "utf8", cwd: "/" });
    expect(result.status, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as { name: string; file: string; question: string; commands: string[] }[];
    const carry = listed.find((s) => s.name === "funding-arb-btc");
    expect(carry?.file).toBe(join(root, "scenarios/funding-arb-btc.yaml"));
    expect(carry?.question).toMatch(/^Should the BTC funding carry/);
    expect(carry?.commands).toEqual(["run"]);
    expect(listed.find((s) => s.name === "pump-12pct-1h")?.commands).toEqual(["replay"]);
  });

  it("prints a table of name, command and question", () => {
    const result = spawnSync(process.execPath, [bin, "scenarios"], { encoding: "utf8", cwd: root });
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/^scenario\s+command\s+question$/);
    expect(result.stdout).toMatch(/\npump-12pct-1h\s+replay\s+What does a \+12 % pump/);
  });
});

describe("scenarioHeader", () => {
  it("reads the question and the answer from the first two comment lines", () => {
    expect(scenarioHeader("# Question: Is it safe?\n# Answer: No.\nname: x\n")).toEqual({ question: "Is it safe?", answer: "No." });
  });

  it("says which line is missing", () => {
    expect(scenarioHeader("name: x\n")).toMatch(/first line/);
    expect(scenarioHeader("# Question: Is it safe?\nname: x\n")).toMatch(/second line/);
  });
});
