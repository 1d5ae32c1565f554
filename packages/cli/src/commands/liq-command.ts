import { Command, InvalidArgumentError, Option } from "commander";
import { MstressError, calculateLiquidation, marginModes, type CalculatorPosition, type CalculatorResult, type MarginMode, type Side } from "@mstress/core";
import { loadVenue } from "../venues/load-venue.js";
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
    .requiredOption("--venue <name|file>", "a shipped venue (binance-usdm, bybit-linear, okx-swap, hyperliquid, dydx-v4) or a venue file")
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
    .action((options: LiqOptions) => {
      const venue = loadVenue(options.venue, "--venue");
      if (options.mode === "isolated" && options.margin !== undefined && options.balance !== undefined && options.margin > options.balance) {
        throw new MstressError("E_BAD_INPUT", `--margin: expected at most the wallet balance (--balance ${options.balance}), got ${options.margin}`);
      }
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
      process.stdout.write(options.json === true ? `${JSON.stringify(liqJson(options, venue.name, result))}\n` : `${liqTable(options, venue.title, result)}\n`);
    });
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
  };
}

function liqTable(options: LiqOptions, venueTitle: string, result: CalculatorResult): string {
  return alignedTable([
    ["venue", `${venueTitle} ${options.symbol}`],
    ["position", `${options.side} ${options.qty} @ ${formatAmount(options.entry)} (${options.mode})`],
    ["liquidation price", result.liquidationPrice === null ? "none (no positive price liquidates)" : formatAmount(result.liquidationPrice)],
    ["bankruptcy price", result.bankruptcyPrice === null ? "none" : formatAmount(result.bankruptcyPrice)],
    ["distance", result.distancePct === null ? "-" : `${result.distancePct.toFixed(2)} %`],
    ["maintenance margin", formatAmount(result.maintenanceMargin)],
    ["bracket", `${result.bracket.tier} (rate ${(result.bracket.maintenanceRate * 100).toFixed(3)} %, amount ${formatAmount(result.bracket.maintenanceAmount)})`],
    ["method", result.method],
  ], "left");
}
