import { Command, InvalidArgumentError, Option } from "commander";
import { MstressError, calculateLiquidation, marginModes, venueAge, venueAgeWarning, type CalculatorPosition, type CalculatorResult, type MarginMode, type Side } from "@mstress/core";
import { displayPath, readVenueFile, resolveVenueFile, venuesDirectory } from "../venues/load-venue.js";
import { maxVenueAgeDays } from "../venues/venue-records.js";
import { alignedTable, formatAmount } from "../output/aligned-table.js";
import { collect, nonNegativeNumber, positiveNumber, rate } from "../options/option-parsers.js";

interface LiqOptions {
  venue: string;
  symbol: string;
  mode: MarginMode;
  side: "long" | "short";
  entry: number;
  qty: number;
  mark?: number;
  margin?: number;
  balance?: number;
  spot?: number;
  position?: CalculatorPosition[];
  mmr?: number;
  maintenanceAmount?: number;
  fee?: number;
  json?: boolean;
  venuesDir?: string;
  maxVenueAge?: number;
}

/** `SYMBOL:long|short:QTY@ENTRY[:MARK]`, e.g. ETHUSDT:long:10@3000:2900. */
function extraPosition(value: string): CalculatorPosition {
  const match = /^([^:]+):(long|short):([0-9.]+)@([0-9.]+)(?::([0-9.]+))?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError(`expected SYMBOL:long|short:QTY@ENTRY[:MARK] (e.g. ETHUSDT:long:10@3000), got ${JSON.stringify(value)}`);
  const [, symbol = "", side, qty = "", entry = "", mark] = match;
  const quantity = positiveNumber(qty);
  const entryPrice = positiveNumber(entry);
  const positionSide: Side = side === "long" ? 1 : -1;
  const base = { symbol, side: positionSide, quantity, entryPrice };
  return mark === undefined ? base : { ...base, markPrice: positiveNumber(mark) };
}

export function liqCommand(): Command {
  return new Command("liq")
    .description("liquidation price of one or more positions in one account, the calculator venues offer")
    .requiredOption("--venue <name|file>", "a venue in ./venues (or --venues-dir), a shipped venue (binance-usdm, bybit-linear, okx-swap, hyperliquid, dydx-v4) or a venue file")
    .requiredOption("--symbol <symbol>", "the perpetual, e.g. BTCUSDT")
    .addOption(new Option("--mode <mode>", "margin mode").choices(marginModes).makeOptionMandatory())
    .addOption(new Option("--side <side>", "position side").choices(["long", "short"]).makeOptionMandatory())
    .requiredOption("--entry <price>", "entry price", positiveNumber)
    .requiredOption("--qty <qty>", "position size in the base asset", positiveNumber)
    .option("--mark <price>", "current mark price (default: the entry)", positiveNumber)
    .option("--margin <amount>", "isolated allocation backing the position", positiveNumber)
    .option("--balance <amount>", "cross / portfolio wallet balance", nonNegativeNumber)
    .option("--spot <qty>", "spot quantity of the base asset held as portfolio collateral", nonNegativeNumber)
    .option("--position <spec>", "another position in the same account: SYMBOL:long|short:QTY@ENTRY[:MARK] (repeatable)", collect(extraPosition))
    .option("--mmr <rate>", "override: maintenance rate (one bracket), to reproduce a venue's older example", rate)
    .option("--maintenance-amount <amount>", "override: maintenance amount (cum / MM deduction) of that bracket", nonNegativeNumber)
    .option("--fee <rate>", "override: taker fee rate, where the venue's convention uses it", rate)
    .option("--json", "print one JSON object")
    .option("--venues-dir <dir>", "folder of your own venue files, searched before the shipped ones (default ./venues)")
    .option("--max-venue-age <days>", "warn when the venue file's figures are older (default $MSTRESS_MAX_VENUE_AGE_DAYS or 90)", nonNegativeNumber)
    .action((options: LiqOptions) => {
      const file = resolveVenueFile(options.venue, "--venue", process.cwd(), venuesDirectory(options.venuesDir));
      const venue = readVenueFile(file, "--venue");
      const maxAgeDays = maxVenueAgeDays(options.maxVenueAge);
      const warning = venueAgeWarning(displayPath(file.path), venueAge(venue, Date.now(), maxAgeDays), maxAgeDays);
      rejectIgnoredFlags(options);
      const position: CalculatorPosition = {
        symbol: options.symbol,
        side: options.side === "long" ? 1 : -1,
        quantity: options.qty,
        entryPrice: options.entry,
        ...(options.mark === undefined ? {} : { markPrice: options.mark }),
      };
      const result = calculateLiquidation({
        venue,
        mode: options.mode,
        position,
        otherPositions: options.position ?? [],
        ...(options.margin === undefined ? {} : { isolatedMargin: options.margin }),
        ...(options.balance === undefined ? {} : { walletBalance: options.balance }),
        ...(options.spot === undefined ? {} : { spotQuantity: options.spot }),
        overrides: {
          ...(options.mmr === undefined ? {} : { maintenanceRate: options.mmr }),
          ...(options.maintenanceAmount === undefined ? {} : { maintenanceAmount: options.maintenanceAmount }),
          ...(options.fee === undefined ? {} : { takerFeeRate: options.fee }),
        },
      });
      if (warning !== null) process.stderr.write(`mstress: ${warning}\n`);
      if (result.belowMaintenance) throw belowMaintenanceError(options, result);
      process.stdout.write(options.json === true ? `${JSON.stringify(liqJson(options, venue.name, result))}\n` : `${liqTable(options, venue.title, result)}\n`);
    });
}

/** What each mode reads: a flag the mode would ignore is refused rather than silently dropped. */
const flagsByMode: Readonly<Record<MarginMode, readonly ("margin" | "balance" | "spot")[]>> = {
  isolated: ["margin"],
  cross: ["balance"],
  portfolio: ["balance", "spot"],
};

const ignoredBecause: Readonly<Record<"margin" | "balance" | "spot", string>> = {
  margin: "the isolated allocation; cross and portfolio positions are backed by the account's --balance",
  balance: "the account's wallet; an isolated position is backed by its --margin alone",
  spot: "spot collateral, which only portfolio margin counts",
};

function rejectIgnoredFlags(options: LiqOptions): void {
  for (const flag of ["margin", "balance", "spot"] as const) {
    if (options[flag] !== undefined && !flagsByMode[options.mode].includes(flag)) {
      throw new MstressError("E_BAD_INPUT", `--${flag}: not used in ${options.mode} mode (it is ${ignoredBecause[flag]}); drop it or change --mode`);
    }
  }
}

/** The account as given is already liquidatable: say so, and what collateral would lift it above maintenance. */
function belowMaintenanceError(options: LiqOptions, result: CalculatorResult): MstressError {
  const flag = options.mode === "isolated" ? "--margin" : "--balance";
  const collateral = (options.mode === "isolated" ? options.margin : options.balance) ?? 0;
  const needed = collateral + result.maintenanceAtMark - result.equityAtMark;
  return new MstressError(
    "E_BAD_INPUT",
    `${flag}: the account is already below maintenance at mark ${formatAmount(options.mark ?? options.entry)} (equity ${formatAmount(result.equityAtMark)}, maintenance margin ${formatAmount(result.maintenanceAtMark)}): a venue would liquidate it now; expected more than ${formatAmount(needed)}`,
  );
}

/** Positions solved numerically move together: every mark by the same factor as the first position's. */
function oneFactorAssumption(options: LiqOptions, result: CalculatorResult): string | null {
  if (result.method !== "numeric") return null;
  return `one factor: every mark in the account moves by the same proportion as ${options.symbol}'s (as if perfectly correlated); the liquidation price is ${options.symbol}'s`;
}

function otherPositions(options: LiqOptions): { symbol: string; side: "long" | "short"; qty: number; entry: number; mark: number }[] {
  return (options.position ?? []).map((p) => ({ symbol: p.symbol, side: p.side === 1 ? "long" : "short", qty: p.quantity, entry: p.entryPrice, mark: p.markPrice ?? p.entryPrice }));
}

function liqJson(options: LiqOptions, venue: string, result: CalculatorResult): Record<string, unknown> {
  return {
    venue,
    symbol: options.symbol,
    mode: options.mode,
    side: options.side,
    qty: options.qty,
    entry: options.entry,
    mark: options.mark ?? options.entry,
    liquidationPrice: result.liquidationPrice,
    bankruptcyPrice: result.bankruptcyPrice,
    maintenanceMargin: result.maintenanceMargin,
    distancePct: result.distancePct,
    bracket: result.bracket.tier,
    maintenanceRate: result.bracket.maintenanceRate,
    maintenanceAmount: result.bracket.maintenanceAmount,
    method: result.method,
    otherPositions: otherPositions(options),
    spot: options.spot ?? null,
    assumption: oneFactorAssumption(options, result),
  };
}

function liqTable(options: LiqOptions, venueTitle: string, result: CalculatorResult): string {
  const assumption = oneFactorAssumption(options, result);
  return alignedTable([
    ["venue", `${venueTitle} ${options.symbol}`],
    ["position", `${options.side} ${options.qty} @ ${formatAmount(options.entry)} (${options.mode})`],
    ["liquidation price", result.liquidationPrice === null ? "none (no positive price liquidates)" : formatAmount(result.liquidationPrice)],
    ["bankruptcy price", result.bankruptcyPrice === null ? "none" : formatAmount(result.bankruptcyPrice)],
    ["distance", result.distancePct === null ? "-" : `${result.distancePct.toFixed(2)} %`],
    ["maintenance margin", formatAmount(result.maintenanceMargin)],
    ["bracket", `${result.bracket.tier} (rate ${(result.bracket.maintenanceRate * 100).toFixed(3)} %, amount ${formatAmount(result.bracket.maintenanceAmount)})`],
    ["method", result.method],
    ...otherPositions(options).map((p, i): [string, string] => [i === 0 ? "other positions" : "", `${p.symbol} ${p.side} ${p.qty} @ ${formatAmount(p.entry)}, mark ${formatAmount(p.mark)}`]),
    ...(options.spot === undefined ? [] : [["spot collateral", `${options.spot} of ${options.symbol}'s base asset, at the venue's collateral ratio`] as [string, string]]),
    ...(assumption === null ? [] : [["assumption", assumption] as [string, string]]),
  ], "left");
}
