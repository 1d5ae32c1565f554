import { Ledger, MstressError, type Account, type MarginMode } from "@mstress/core/engine";
import { openRoute } from "../route/open-route.js";
import { AccountWatch } from "./account-watch.js";
import type { PathMarket } from "./path-market.js";
import type { EvaluationPlan } from "./evaluation-plan.js";

/**
 * A mode's route as opened at the paths' common start (every path opens at the model's initial prices), and the
 * watches the kernel re-arms on every path. A path starts from a copy of the accounts and the ledger: cheaper than
 * opening the route again, which books decimals.
 */
export interface ModeTemplate {
  readonly ledger: Ledger;
  readonly accounts: readonly Account[];
  readonly capitalReserved: number;
  /** Index in `accounts` of each watched account (those holding positions), and its entity index. */
  readonly watched: Int32Array;
  readonly watchEntity: Int32Array;
  /** Each watch's state right after opening, which `watches` restart from on every path. */
  readonly openedWatches: readonly AccountWatch[];
  readonly watches: readonly AccountWatch[];
}

/** Opens the route in `mode` at `start` (the paths' t0 prices). `accountEntity`: entity index per scenario account. */
export function openModeTemplate(plan: EvaluationPlan, mode: MarginMode, start: PathMarket, accountEntity: Int32Array): ModeTemplate {
  const ledger = new Ledger();
  const accounts = openRoute({ scenario: plan.scenario, venues: plan.venues, terms: plan.terms, mode, ledger, start, routeOf: plan.routeOf });
  const watched = accounts.flatMap((account, a) => (account.positions.length > 0 ? [a] : []));
  const openedWatches = watched.map((a) => {
    const watch = new AccountWatch(elementAt(accounts, a), start);
    watch.reference(start);
    return watch;
  });
  return {
    ledger,
    accounts,
    capitalReserved: accounts.reduce((sum, account) => sum + reservedCapital(account, start), 0),
    watched: Int32Array.from(watched),
    watchEntity: Int32Array.from(watched, (a) => accountEntity[a] ?? -1),
    openedWatches,
    watches: watched.map((a) => new AccountWatch(elementAt(accounts, a), start)),
  };
}

/** A path's accounts in this mode: copies of the template's on a copy of its ledger, with the watches re-armed. */
export function startPath(template: ModeTemplate): { readonly ledger: Ledger; readonly accounts: readonly Account[] } {
  const ledger = template.ledger.clone();
  const accounts = template.accounts.map((account) => account.cloneOnto(ledger));
  template.watches.forEach((watch, w) => {
    watch.restart(elementAt(accounts, template.watched[w] ?? -1), elementAt(template.openedWatches, w));
  });
  return { ledger, accounts };
}

/**
 * Capital the mode ties up for the route: an isolated account's allocations (the rest of its balance stays free),
 * a cross account's whole balance, a portfolio account's balance plus its spot collateral at the haircut.
 */
function reservedCapital(account: Account, market: PathMarket): number {
  switch (account.mode) {
    case "isolated":
      return account.positions.reduce((sum, p) => sum + account.isolatedMargin(p.leg), 0);
    case "cross":
      return account.walletBalance();
    case "portfolio": {
      const ratio = (asset: string): number => account.venue.portfolio?.collateral[asset]?.ratio ?? 0;
      return account.walletBalance() + account.spot.reduce((sum, h) => sum + h.quantityValue * market.indexPrice(h.asset) * ratio(h.asset), 0);
    }
  }
}

function elementAt<T>(array: readonly T[], i: number): T {
  const element = array[i];
  if (element === undefined) throw new MstressError("E_INVARIANT", `kernel: no element ${i} of ${array.length}`);
  return element;
}
