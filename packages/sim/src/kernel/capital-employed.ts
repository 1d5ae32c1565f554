import type { Account, MarginMode } from "@mstress/core/engine";
import { PolicyKind, TopUpSource, type CompiledPolicies } from "../policies/compiled-policies.js";

/**
 * The cash a route ties up, on one basis for every mode (docs/methodology.md, "Capital employed"): what its spot
 * legs cost, plus the margin the mode commits to its perps (in isolated the allocations; in cross and portfolio the
 * balance of each account holding perps, which backs them all), plus the fees paid to open. For an evaluation with
 * policies, the reserves its top-ups may draw on count too, since that cash must be kept free for them.
 *
 * Portfolio margin counts spot as collateral, but the spot was bought with cash either way: counting its cost in
 * every mode is what puts the modes on one basis (an APR on the wallet alone made cross look four times better than
 * portfolio on the same route).
 */
export function capitalEmployed(accounts: readonly Account[], openingFees: number): number {
  let capital = openingFees;
  for (const account of accounts) {
    for (const holding of account.spot) capital += holding.quantityValue * holding.entryValue;
    if (account.positions.length === 0) continue;
    capital += account.mode === "isolated" ? allocations(account) : account.walletBalance();
  }
  return capital;
}

/**
 * The reserves a mode's top-ups may draw on, beyond what `capitalEmployed` already counts: per source, the least of
 * its free cash (an isolated account's balance outside its allocations; an account without perps, its balance; a
 * cross or portfolio wallet is counted already) and the policies' `maxTotal` from it. Selling spot frees cash the
 * route already counts, so it adds nothing.
 */
export function policyReserves(accounts: readonly Account[], mode: MarginMode, compiled: CompiledPolicies): number {
  const drawable = new Map<number, number>();
  for (const policy of compiled.policies) {
    if (policy.kind !== PolicyKind.TopUp || !policy.modes.includes(mode)) continue;
    const source = policy.source === TopUpSource.Account ? policy.sourceIndex : policy.source === TopUpSource.FreeBalance ? policy.account : -1;
    if (source < 0) continue;
    drawable.set(source, (drawable.get(source) ?? 0) + policy.maxTotal);
  }
  let reserves = 0;
  for (const [source, cap] of drawable) {
    const account = accounts[source];
    if (account !== undefined) reserves += Math.min(freeCash(account), cap);
  }
  return reserves;
}

function allocations(account: Account): number {
  return account.positions.reduce((sum, position) => sum + account.isolatedMargin(position.leg), 0);
}

/** Cash in an account that `capitalEmployed` does not count: the wallet, unless it backs cross or portfolio perps (isolated allocations sit apart from it). */
function freeCash(account: Account): number {
  if (account.positions.length > 0 && account.mode !== "isolated") return 0;
  return Math.max(0, account.walletBalance());
}
