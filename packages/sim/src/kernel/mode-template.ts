import { Ledger, MstressError, type Account, type MarginMode } from "@mstress/core/engine";
import type { Decimal } from "decimal.js";
import { openRoute } from "../route/open-route.js";
import { AccountWatch } from "./account-watch.js";
import { capitalEmployed, policyReserves } from "./capital-employed.js";
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
  /** The cash the route ties up in this mode (capital-employed.ts), passive and with the policies' reserves. */
  readonly capitalEmployed: number;
  readonly capitalEmployedManaged: number;
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
  // The evaluator reads balances and totals only: no event log, in the template or its per-path copies.
  ledger.stopKeepingEvents();
  // Every fee booked so far was paid to open the route.
  const capital = capitalEmployed(accounts, ledger.totalValues().tradingFees);
  const watched = accounts.flatMap((account, a) => (account.positions.length > 0 ? [a] : []));
  const openedWatches = watched.map((a) => {
    const watch = new AccountWatch(elementAt(accounts, a), start);
    watch.reference(start);
    return watch;
  });
  return {
    ledger,
    accounts,
    capitalEmployed: capital,
    capitalEmployedManaged: capital + policyReserves(accounts, mode, plan.policies),
    watched: Int32Array.from(watched),
    watchEntity: Int32Array.from(watched, (a) => accountEntity[a] ?? -1),
    openedWatches,
    watches: watched.map((a) => new AccountWatch(elementAt(accounts, a), start)),
  };
}

/**
 * Makes every mode's positions hold one decimal object per leg and quantity: each mode opens the route on its own
 * and parses the same quantity anew, and the funding settlement (funding-settlement.ts), which computes a payment
 * once per leg and settlement for every mode, tells "same quantity" by identity before it compares decimals, a
 * comparison that cost 3 % of a path. Decimals are immutable, so sharing one changes no value.
 */
export function shareQuantities(templates: readonly ModeTemplate[]): void {
  const first = new Map<string, Decimal>();
  for (const template of templates) {
    for (const account of template.accounts) {
      for (const position of account.positions) {
        const shared = first.get(position.leg);
        if (shared === undefined) first.set(position.leg, position.quantity);
        else if (shared !== position.quantity && shared.equals(position.quantity)) position.quantity = shared;
      }
    }
  }
}

/** A path's accounts in this mode: copies of the template's on a copy of its ledger, with the watches re-armed. */
export function startPath(template: ModeTemplate): { readonly ledger: Ledger; readonly accounts: readonly Account[] } {
  const ledger = template.ledger.clone();
  // Pushed, not mapped: once TurboFan has compiled this function, its inlined `map` makes a holey array where the
  // interpreter's and the template's are packed, and every loop over a path's accounts then met an array it had not
  // seen and was thrown back to the interpreter and compiled again (11 of a cold worker's 29 deoptimisations).
  const accounts: Account[] = [];
  for (const account of template.accounts) accounts.push(account.cloneOnto(ledger));
  template.watches.forEach((watch, w) => {
    watch.restart(elementAt(accounts, template.watched[w] ?? -1), elementAt(template.openedWatches, w));
  });
  return { ledger, accounts };
}

function elementAt<T>(array: readonly T[], i: number): T {
  const element = array[i];
  if (element === undefined) throw new MstressError("E_INVARIANT", `kernel: no element ${i} of ${array.length}`);
  return element;
}
