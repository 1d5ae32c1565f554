import { Command, CommanderError } from "commander";
import { isMstressError } from "@mstress/core";
import { mstressVersion } from "./version.js";

/**
 * Exit statuses: 0 ok (or every sign-off limit passed), 1 a limit failed, 2 bad input (usage, schema, unknown
 * venue...), 3 a limit is undecided, 4 anything unexpected (an internal error), 130 interrupted. The gate owns 1
 * and 3 so a nightly job can tell "the route failed its limits" from "the tool broke".
 */
export const exitCodes = { ok: 0, signOffFailed: 1, badInput: 2, signOffUndecided: 3, failure: 4, interrupted: 130 } as const;

/**
 * Each subcommand's module, in the order help lists them. Only the module of the command being run is loaded, with
 * its dependencies: `mstress liq` no longer loads arquero and the Parquet writer, and `mstress run` plans and starts
 * its workers ~0.5 s sooner (the report's modules load while the workers simulate). Help, and the suggestion for a
 * mistyped command, load them all.
 */
const subcommands: ReadonlyMap<string, () => Promise<() => Command>> = new Map(Object.entries({
  liq: async () => (await import("./commands/liq-command.js")).liqCommand,
  venue: async () => (await import("./commands/venue-command.js")).venueCommand,
  venues: async () => (await import("./commands/venues-command.js")).venuesCommand,
  replay: async () => (await import("./commands/replay-command.js")).replayCommand,
  run: async () => (await import("./commands/run-command.js")).runCommand,
  merge: async () => (await import("./commands/merge-command.js")).mergeCommand,
  report: async () => (await import("./commands/report-command.js")).reportCommand,
  calibrate: async () => (await import("./commands/calibrate-command.js")).calibrateCommand,
  validate: async () => (await import("./commands/validate-command.js")).validateCommand,
  scenarios: async () => (await import("./commands/scenarios-command.js")).scenariosCommand,
  init: async () => (await import("./commands/init-command.js")).initCommand,
  sweep: async () => (await import("./commands/sweep-command.js")).sweepCommand,
  backtest: async () => (await import("./commands/backtest-command.js")).backtestCommand,
  trend: async () => (await import("./commands/trend-command.js")).trendCommand,
  suite: async () => (await import("./commands/suite-command.js")).suiteCommand,
  shard: async () => (await import("./commands/shard-command.js")).shardCommand,
}));

/** The CLI with every subcommand, or with only `commandName`'s when that names one (the command line's first word). */
export async function program(commandName?: string): Promise<Command> {
  const only = commandName === undefined ? undefined : subcommands.get(commandName);
  const factories = await Promise.all(only === undefined ? [...subcommands.values()].map(async (load) => load()) : [only()]);
  const cli = new Command("mstress")
    .description("Monte Carlo stress tests of crypto arbitrage routes under isolated, cross and portfolio margin")
    .version(mstressVersion)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .showSuggestionAfterError(true);
  for (const factory of factories) cli.addCommand(factory().exitOverride().configureOutput({ writeErr: () => undefined }));
  return cli;
}

/**
 * Runs the CLI and returns the exit status. Every input problem is reported as `mstress: <field>: <expected>`
 * on stderr, one line each, before anything is written.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await program(argv[0])).parseAsync(argv, { from: "user" });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return exitCodes.ok;
      process.stderr.write(`mstress: ${error.message.replace(/^error: /, "")}\n`);
      return exitCodes.badInput;
    }
    if (isMstressError(error)) {
      for (const line of error.message.split("\n")) process.stderr.write(`mstress: ${line}\n`);
      if (error.code === "E_INTERRUPTED") return exitCodes.interrupted;
      return error.isInputError ? exitCodes.badInput : exitCodes.failure;
    }
    // The sign-off gate did not pass; its table is already printed. (Loaded here, not for every command: it pulls in
    // the report package. An input error never gets here: after a FIFO was opened, Node 20 failed to resolve
    // arquero's dependencies through pnpm's links, and `venue import` of a FIFO then crashed instead of exiting 2.)
    const { SignOffExit } = await import("./results/sign-off.js");
    if (error instanceof SignOffExit) return error.exitCode;
    process.stderr.write(`mstress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.failure;
  }
}
