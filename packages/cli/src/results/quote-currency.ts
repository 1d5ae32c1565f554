import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseScenario, type Scenario } from "@mstress/core";
import { loadVenue } from "../venues/load-venue.js";

/**
 * The currency a scenario's money is counted in: the quote (settlement) currency of its perps' venues, e.g.
 * "USDT", or "USDT/USDC" for a cross-venue route (the engine counts each at 1, as the venues' own margin does for
 * their settlement asset). "quote currency" when a venue file cannot be read from `baseDirectory` (a results
 * directory reported away from the venue file it was run with).
 */
export function scenarioQuoteCurrency(scenario: Scenario, baseDirectory: string): string {
  const quotes = new Set<string>();
  try {
    for (const account of scenario.accounts) {
      const venue = loadVenue(account.venue, `accounts.${account.name}.venue`, baseDirectory);
      const symbols = scenario.legs.filter((leg) => leg.account === account.name && leg.type === "perp").map((leg) => (leg.type === "perp" ? leg.symbol : ""));
      for (const symbol of symbols) {
        const quote = venue.symbols[symbol]?.quote;
        if (quote !== undefined) quotes.add(quote);
      }
    }
  } catch {
    return "quote currency";
  }
  return quotes.size === 0 ? "quote currency" : [...quotes].sort().join("/");
}

/**
 * The quote currency of a results directory's run: its scenario.yaml, with venue files taken from where the run's
 * scenario file was (`scenarioFile`, as the manifest names it); "quote currency" when that cannot be read.
 */
export function resultsQuoteCurrency(dir: string, scenarioFile: string): string {
  const copy = join(dir, "scenario.yaml");
  const text = existsSync(copy) ? readFileSync(copy, "utf8") : existsSync(scenarioFile) ? readFileSync(scenarioFile, "utf8") : null;
  if (text === null) return "quote currency";
  try {
    return scenarioQuoteCurrency(parseScenario(text, copy), dirname(resolve(scenarioFile)));
  } catch {
    return "quote currency";
  }
}
