import { Command, CommanderError } from "commander";
import { isMstressError } from "@mstress/core";
import { liqCommand } from "./commands/liq-command.js";
import { replayCommand } from "./commands/replay-command.js";
import { runCommand } from "./commands/run-command.js";
import { mergeCommand } from "./commands/merge-command.js";
import { validateCommand } from "./commands/validate-command.js";
import { scenariosCommand } from "./commands/scenarios-command.js";
import { initCommand } from "./commands/init-command.js";
import { sweepCommand } from "./commands/sweep-command.js";
import { backtestCommand } from "./commands/backtest-command.js";
import { reportCommand } from "./commands/report-command.js";
import { trendCommand } from "./commands/trend-command.js";
import { venueCommand } from "./commands/venue-command.js";
import { venuesCommand } from "./commands/venues-command.js";
import { calibrateCommand } from "./commands/calibrate-command.js";
import { suiteCommand } from "./commands/suite-command.js";
import { shardCommand } from "./commands/shard-command.js";
import { SignOffExit } from "./results/sign-off.js";
import { mstressVersion } from "./version.js";

/**
 * Exit statuses: 0 ok (or every sign-off limit passed), 1 a limit failed, 2 bad input (usage, schema, unknown
 * venue...), 3 a limit is undecided, 4 anything unexpected (an internal error), 130 interrupted. The gate owns 1
 * and 3 so a nightly job can tell "the route failed its limits" from "the tool broke".
 */
export const exitCodes = { ok: 0, signOffFailed: 1, badInput: 2, signOffUndecided: 3, failure: 4, interrupted: 130 } as const;

export function program(): Command {
  return new Command("mstress")
    .description("Monte Carlo stress tests of crypto arbitrage routes under isolated, cross and portfolio margin")
    .version(mstressVersion)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .showSuggestionAfterError(true)
    .addCommand(liqCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(venueCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(venuesCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(replayCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(runCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(mergeCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(reportCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(calibrateCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(validateCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(scenariosCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(initCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(sweepCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(backtestCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(trendCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(suiteCommand().exitOverride().configureOutput({ writeErr: () => undefined }))
    .addCommand(shardCommand().exitOverride().configureOutput({ writeErr: () => undefined }));
}

/**
 * Runs the CLI and returns the exit status. Every input problem is reported as `mstress: <field>: <expected>`
 * on stderr, one line each, before anything is written.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return exitCodes.ok;
      process.stderr.write(`mstress: ${error.message.replace(/^error: /, "")}\n`);
      return exitCodes.badInput;
    }
    // The sign-off gate did not pass; its table is already printed.
    if (error instanceof SignOffExit) return error.exitCode;
    if (isMstressError(error)) {
      for (const line of error.message.split("\n")) process.stderr.write(`mstress: ${line}\n`);
      if (error.code === "E_INTERRUPTED") return exitCodes.interrupted;
      return error.isInputError ? exitCodes.badInput : exitCodes.failure;
    }
    process.stderr.write(`mstress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.failure;
  }
}
