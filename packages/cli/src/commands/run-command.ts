import { Command, Option } from "commander";
import { MstressError, type MarginMode } from "@mstress/core";
import { defaultWorkers } from "@mstress/sim";
import { halfWidth, modeList, positiveInteger, seedText, shardSpec } from "../options/option-parsers.js";
import { progressReporter } from "../output/progress-bar.js";
import { runScenario } from "../run/run-scenario.js";
import { loadScenario } from "../scenario/load-scenario.js";

interface RunOptions {
  paths: number;
  seed: string;
  workers: number;
  modes?: MarginMode[];
  out?: string;
  shard?: { index: number; count: number };
  json?: boolean;
  precision?: number;
  maxPaths?: number;
  chunkSize: number;
  batchSize: number;
  /** commander's --no-baseline: false leaves the passive rows out of a scenario with policies. */
  baseline: boolean;
}

export function runCommand(): Command {
  return new Command("run")
    .description("Monte Carlo: simulate paths and compare the margin modes on the same market histories")
    .argument("<scenario>", "scenario YAML file with a market block")
    .addOption(new Option("--paths <n>", "paths to simulate").argParser(positiveInteger).default(10_000))
    .addOption(new Option("--seed <seed>", "master seed; with the scenario and version it fixes every result").argParser(seedText).default("1"))
    .addOption(new Option("--workers <n>", "worker threads (at most the cores available)").argParser(positiveInteger).default(defaultWorkers()))
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--out <dir>", "results directory (default results/<scenario>-<UTC timestamp>)")
    .addOption(new Option("--shard <i/n>", "simulate only the i-th of n contiguous path ranges (merge them with mstress merge)").argParser(shardSpec))
    .option("--json", "print summary.json on stdout")
    .addOption(new Option("--precision <halfWidth>", "add batches of paths until every mode's liquidation-probability 95% interval is this narrow").argParser(halfWidth))
    .addOption(new Option("--max-paths <n>", "with --precision: stop at this many paths").argParser(positiveInteger))
    .addOption(new Option("--chunk-size <n>", "paths per worker task").argParser(positiveInteger).default(250))
    .addOption(new Option("--batch-size <n>", "with --precision: paths added between two checks").argParser(positiveInteger).default(1000))
    .option("--no-baseline", "with policies: leave out the passive rows (the route without its policies on the same paths)")
    .action(async (file: string, options: RunOptions) => {
      await runAction(file, options);
    });
}

const warn = (line: string): void => {
  process.stderr.write(`mstress: ${line}\n`);
};

async function runAction(file: string, options: RunOptions): Promise<void> {
  if (options.maxPaths !== undefined && options.precision === undefined) throw new MstressError("E_BAD_INPUT", "--max-paths: only applies with --precision");
  if (options.precision !== undefined && options.shard !== undefined) {
    throw new MstressError("E_BAD_INPUT", "--precision: cannot be combined with --shard (each shard would stop on its own paths; run shards with --paths)");
  }
  const loaded = loadScenario(file);
  const run = await runScenario(loaded, options, { warn, startProgress: (name) => progressReporter(process.stderr, name) });
  // Loaded once the run is done (they pull in the report package; see program.ts).
  const [{ precisionOutcome }, { summaryTable }, { signOff }] = await Promise.all([import("@mstress/report"), import("../output/summary-table.js"), import("../results/sign-off.js")]);
  const { summary, manifest } = run;
  process.stdout.write(options.json === true ? run.summaryJson : `${summaryTable(summary, manifest)}\n`);
  const precisionLine = precisionOutcome(summary, manifest);
  if (precisionLine !== null) process.stderr.write(`mstress: ${precisionLine}\n`);
  process.stderr.write(`mstress: results in ${run.directory}\n`);
  if (run.gate !== null) signOff(run.gate, options.json === true ? process.stderr : process.stdout);
}
