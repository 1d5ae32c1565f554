/**
 * Units and meanings of the scenario fields, keyed by the path docs/scenario-reference.md writes (see
 * scenario-reference.ts). The schema gives types, ranges and defaults at run time but not its comments, so they
 * live here; scenario-reference.test.ts fails when a schema field has no note or a note names no field. A `*` in
 * a variant (`[kind=*]`) matches every variant. `key` names the placeholder a mapping's keys are shown as.
 */
export interface FieldNote {
  readonly unit: string;
  readonly meaning: string;
  readonly key?: string;
}

const money = "quote currency (USDT/USDC)";
const perEightHours = "rate per 8 h";
const perYear = "per year";

export const fieldNotes: Readonly<Record<string, FieldNote>> = {
  name: { unit: "", meaning: "The scenario's name: results go to `results/<name>-<UTC timestamp>/`." },
  description: { unit: "", meaning: "Free text, echoed in reports." },

  accounts: { unit: "", meaning: "Margin accounts. Each is its own collateral pool (a venue account or a sub-account): accounts never share collateral." },
  "accounts[].name": { unit: "", meaning: "Referred to by legs' `account`." },
  "accounts[].venue": { unit: "", meaning: "A venue profile by name (`binance-usdm`, `bybit-linear`, `okx-swap`, `hyperliquid`, `dydx-v4`): `./venues/<name>.yaml` (or in `$MSTRESS_VENUES_DIR`; written by `mstress venue import`) if there is one, else the shipped file; or a path to a venue file, relative to the scenario." },
  "accounts[].deposit": { unit: money, meaning: "Deposited into the account's margin wallet at t = 0." },
  "accounts[].mode": { unit: "", meaning: "Pins this account's margin mode; an unpinned account takes each mode the run compares." },

  legs: { unit: "", meaning: "The positions: perpetual futures and spot holdings." },
  "legs[type=*].name": { unit: "", meaning: "Unique leg name, used by routes and in results." },
  "legs[type=*].account": { unit: "", meaning: "The account that holds the leg." },
  "legs[type=*].type": { unit: "", meaning: "`perp` (linear perpetual) or `spot`." },
  "legs[type=perp].symbol": { unit: "", meaning: "The venue's own symbol (`BTCUSDT` on Binance, `BTC` on Hyperliquid, `BTC-USDT-SWAP` on OKX); its base is the asset the market must model." },
  "legs[type=perp].side": { unit: "", meaning: "Direction of the perp." },
  "legs[type=*].qty": { unit: "base asset (1 = 1 BTC)", meaning: "Position size." },
  "legs[type=perp].isolatedMargin": { unit: money, meaning: "Allocation backing this perp in isolated mode; required when `isolated` is compared, at least the initial margin." },
  "legs[type=spot].asset": { unit: "", meaning: "The asset held; collateral only in portfolio mode (at the venue's collateral ratio)." },
  "legs[type=spot].side": { unit: "", meaning: "Spot legs are long holdings." },

  routes: { unit: "", meaning: "Groups of legs held together for one purpose. The hedge breaks when a leg of a route is liquidated while another lives. Default: one route of all legs." },
  "routes[].name": { unit: "", meaning: "Route name, used by limits and in per-route results." },
  "routes[].legs": { unit: "", meaning: "Names of the legs in the route." },

  modes: { unit: "", meaning: "Margin modes to compare, each replayed on the same paths. Default: every mode all the scenario's venues offer." },

  costs: { unit: "", meaning: "Which costs are booked." },
  "costs.fees": { unit: "", meaning: "Taker fees on entry and exit, and liquidation fees." },
  "costs.funding": { unit: "", meaning: "Funding payments at each venue's cadence." },
  "costs.closeAtHorizon": { unit: "", meaning: "Close every open leg at the horizon (paying the exit fee) so the final PnL is realised." },
  "costs.slippage": { unit: "", meaning: "Slippage of every trade a policy makes (de-risk, unwind, exit, top-up from spot): the fill is worse than the mark (perps) or the index (spot) by bps + bpsPerMillion x notional / $1m." },
  "costs.slippage.bps": { unit: "basis points of the price", meaning: "Fixed part of the slippage." },
  "costs.slippage.bpsPerMillion": { unit: "basis points per $1m of notional", meaning: "Part of the slippage in proportion to the trade's size (a linear price impact)." },
  "costs.spotFee": { unit: "fraction of the value sold", meaning: "Fee on a policy's sale of spot; default the taker rate of a perp on the same asset in the scenario (0 when fees are off)." },

  sweep: { unit: "", meaning: "Parameter grid for `mstress sweep`: the same seed at every grid point (common random numbers)." },
  "sweep.parameters": { unit: "", meaning: "Parameter name to the values to try, in order.", key: "<parameter>" },
  "sweep.parameters.<parameter>": { unit: "the swept field's unit", meaning: "A short name (`isolatedMargin`, `deposit`, `vol`, `volatility`, `qty`, `horizon`) or a dotted path into the scenario (`legs.short-perp.isolatedMargin`), mapped to its values." },
  "sweep.paths": { unit: "paths", meaning: "Paths per grid point; `--paths` overrides it." },

  limits: { unit: "", meaning: "Sign-off limits: `mstress run` exits 0 when all pass, 1 when one fails, 3 when one is undecided." },
  "limits[].mode": { unit: "", meaning: "The margin mode the limit judges." },
  "limits[].metric": { unit: "probability, fraction per year (aprOnCapital), quote currency (VaR, ES, drawdown), fraction of the mark (distance)", meaning: "What is bounded. Probabilities are judged on their Wilson interval, the others on their interval in the summary (normal for means, order statistics for quantiles, the influence function for ES, the delta method for APR): a pass needs the whole interval on the passing side." },
  "limits[].max": { unit: "the metric's", meaning: "Upper bound: a probability passes only when its interval's upper end is below it." },
  "limits[].min": { unit: "the metric's", meaning: "Lower bound: a probability passes only when its interval's lower end is above it." },
  "limits[].confidence": { unit: "probability", meaning: "Two-sided level of a probability's Wilson interval (0.95 when not given); the other metrics use the summary's 95 % intervals." },
  "limits[].account": { unit: "", meaning: "Bound one account's liquidation probability instead of the mode's." },
  "limits[].route": { unit: "", meaning: "Bound one route's liquidation or hedge-broken probability instead of the mode's." },
  "limits[].policy": { unit: "", meaning: "The policy (by name) whose reserveExhaustedProbability or policyActedProbability the limit bounds." },

  path: { unit: "", meaning: "A scripted path for `mstress replay`." },
  "path.step": { unit: "s, m, h or d", meaning: "Spacing of risk checks; a crossing between checks is located exactly on the interpolated path." },
  "path.points": { unit: "", meaning: "Points, linearly interpolated in time (prices and basis); funding holds from its point on." },
  "path.points[].t": { unit: "s, m, h or d from t = 0", meaning: "Time of the point; the first is 0, then strictly increasing." },
  "path.points[].price": { unit: money, meaning: "Index price of the route's single asset." },
  "path.points[].prices": { unit: money, meaning: "Index prices by asset, for routes on several assets.", key: "<ASSET>" },
  "path.points[].basis": { unit: "fraction", meaning: "Perp basis from this point: mark = index x (1 + basis)." },
  "path.points[].funding": { unit: perEightHours, meaning: "Funding rate from this point on; an N-hour venue pays rate x N / 8." },
  "path.csv": { unit: "file path", meaning: "Instead of points: a CSV `timestamp,price[,funding]` (seconds or ISO-8601), relative to the scenario." },
  "path.asset": { unit: "", meaning: "The asset the CSV prices (default: the route's single asset)." },
  "path.funding": { unit: perEightHours, meaning: "Funding rate where no point gives one." },
  "path.basis": { unit: "fraction", meaning: "Basis where no point gives one." },
  "path.stress": { unit: "", meaning: "Scripted events on the path: an auto-deleveraging of named legs at a time." },
  "path.stress[].at": { unit: "s, m, h or d from t = 0", meaning: "When the event happens (between path points the prices are interpolated)." },
  "path.stress[].adl": { unit: "", meaning: "The venue auto-deleverages these perp legs: each one in profit at the mark is closed by `fraction` at the mark, without a fee; a leg closed whole breaks its route's hedge." },
  "path.stress[].adl.legs": { unit: "", meaning: "Names of the perp legs." },
  "path.stress[].adl.fraction": { unit: "fraction of the position", meaning: "How much of each leg is closed (1: all of it)." },

  market: { unit: "", meaning: "Market models for the Monte Carlo (`mstress run`)." },
  "market.horizon": { unit: "s, m, h or d", meaning: "Simulated time; a whole number of steps." },
  "market.step": { unit: "s, m, h or d", meaning: "Simulation step; must divide every perp's funding interval. Barriers are monitored continuously inside it (exact Brownian-bridge extremes), so 1 h gives a 1-minute monitor's answer. \"auto\": the largest of 8h, 4h, 2h, 1h that divides the horizon, every funding interval and stress overlay time, is at most adl.within, expects at most 0.5 jumps and 0.05 regime switches a step, and 1h for garch-t and bootstrap (docs/methodology.md, \"The default step\"). With policies that set something in motion (all but top-ups from the account's own free balance without a cooldown), a step where one might act is walked in sub-steps of at most 15m and at most half the shortest delay (at least 1m), drawn from the step's bridge given its endpoints and extreme, so the step itself need not be fine. `mstress run` prints the step it chose and why." },
  "market.assets": { unit: "", meaning: "One entry per modelled asset: every perp's base and every spot asset.", key: "<ASSET>" },
  "market.assets.<ASSET>": { unit: "", meaning: "The asset's price model and its perp basis and funding processes." },
  "market.assets.<ASSET>.price": { unit: money, meaning: "Index price at t = 0." },
  "market.assets.<ASSET>.model": { unit: "", meaning: "The index price process." },
  "market.assets.<ASSET>.model[kind=*].kind": { unit: "", meaning: "`gbm`: geometric Brownian motion; `jump-diffusion`: Merton with pump and crash legs; `garch-t`: GARCH(1,1) with Student-t shocks; `bootstrap`: blocks of historical returns." },
  "market.assets.<ASSET>.model[kind=*].drift": { unit: perYear, meaning: "mu in dS/S = mu dt + sigma dW: E[S_T] = S_0 e^(mu T) (jumps are compensated)." },
  "market.assets.<ASSET>.model[kind=*].volatility": { unit: perYear, meaning: "Annualised volatility of the diffusion (GARCH: the unconditional one)." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps": { unit: "", meaning: "Compound-Poisson jumps, pumps (`up`) and crashes (`down`), each optional." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps.up": { unit: "", meaning: "Pumps." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps.down": { unit: "", meaning: "Crashes." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps.*.intensity": { unit: "jumps per year", meaning: "Expected number of jumps a year; at most 0.5 expected per step." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps.*.mean": { unit: "log return", meaning: "Mean log size of a jump (0.04 is about +4 %); >= 0 for up, <= 0 for down." },
  "market.assets.<ASSET>.model[kind=jump-diffusion].jumps.*.stdDev": { unit: "log return", meaning: "Standard deviation of the log jump size." },
  "market.assets.<ASSET>.model[kind=garch-t].alpha": { unit: "", meaning: "Weight of the last squared shock in the next variance; alpha + beta < 1." },
  "market.assets.<ASSET>.model[kind=garch-t].beta": { unit: "", meaning: "Weight of the last variance (persistence)." },
  "market.assets.<ASSET>.model[kind=garch-t].degreesOfFreedom": { unit: "", meaning: "Of the Student-t shocks (scaled to unit variance); lower is fatter-tailed." },
  "market.assets.<ASSET>.model[kind=bootstrap].csv": { unit: "file path", meaning: "CSV of historical prices exactly one step apart, relative to the scenario: `timestamp,price`, or bars `timestamp,open,high,low,close[,...]` whose closes are used (timestamps in seconds, milliseconds or ISO-8601)." },
  "market.assets.<ASSET>.model[kind=bootstrap].blockLength": { unit: "steps", meaning: "Consecutive returns drawn together (block bootstrap), keeping volatility clusters; one length for every bootstrapped asset." },
  "market.assets.<ASSET>.basis": { unit: "", meaning: "Perp basis, mark = index x (1 + basis): Ornstein-Uhlenbeck. Default: no basis." },
  "market.assets.<ASSET>.*.mean": { unit: "fraction (basis) or rate per 8 h (funding)", meaning: "Long-run level the process reverts to." },
  "market.assets.<ASSET>.*.stdDev": { unit: "same as mean", meaning: "Stationary standard deviation." },
  "market.assets.<ASSET>.*.halfLife": { unit: "s, m, h or d", meaning: "Time for a deviation from the mean to halve." },
  "market.assets.<ASSET>.*.initial": { unit: "same as mean", meaning: "Value at t = 0 (default: the mean)." },
  "market.assets.<ASSET>.funding": { unit: "", meaning: "Funding rate per 8 h: an OU state plus the return coupling plus a venue offset, clamped at each venue's cap and floor. Default: no funding." },
  "market.assets.<ASSET>.funding.returnCoupling": { unit: "rate per 8 h per unit log return", meaning: "Added times the log return over the funding interval just ended: pumps push funding up, crashes down." },
  "market.assets.<ASSET>.funding.venueOffset": { unit: perEightHours, meaning: "Added to the rate on that venue: the spread a cross-venue carry earns.", key: "<venue>" },

  "market.correlation": { unit: "", meaning: "Correlation of the assets' diffusion shocks (Cholesky). Jumps stay independent." },
  "market.correlation.assets": { unit: "", meaning: "Row and column order of the matrix." },
  "market.correlation.matrix": { unit: "correlation", meaning: "Symmetric, unit diagonal, positive semi-definite." },

  "market.regime": { unit: "", meaning: "A calm/stress Markov chain (starts calm) that raises volatility, jump intensity and the basis together." },
  "market.regime.calmToStress": { unit: "switches per year", meaning: "Intensity of entering stress." },
  "market.regime.stressToCalm": { unit: "switches per year", meaning: "Intensity of leaving stress (1 / mean stress duration in years)." },
  "market.regime.volatilityMultiplier": { unit: "factor", meaning: "Volatility (and basis noise) multiplier while stressed." },
  "market.regime.jumpIntensityMultiplier": { unit: "factor", meaning: "Jump intensity multiplier while stressed." },
  "market.regime.basisShift": { unit: "fraction", meaning: "Added to every basis mean while stressed." },

  "market.stress": { unit: "", meaning: "Scripted shocks overlaid on every random path." },
  "market.stress[].at": { unit: "s, m, h or d from t = 0", meaning: "Start of the shock." },
  "market.stress[].over": { unit: "s, m, h or d", meaning: "Length of the shock; it must end by the horizon." },
  "market.stress[].assets": { unit: "", meaning: "Assets it applies to (default: all)." },
  "market.stress[].move": { unit: "fraction", meaning: "Price move spread evenly (in log) over the window, on top of the random path: -0.35 is a 35 % fall." },
  "market.stress[].funding": { unit: perEightHours, meaning: "Funding held over the window: `floor` or `cap` (each venue's own) or a rate." },
  "market.stress[].basis": { unit: "fraction", meaning: "Basis held at this value over the window." },
  "market.stress[].adl": { unit: "", meaning: "An auto-deleveraging at `at` on every path: each listed perp leg in profit at the mark is closed by `fraction` at the mark, without a fee." },
  "market.stress[].adl.legs": { unit: "", meaning: "Names of the perp legs." },
  "market.stress[].adl.fraction": { unit: "fraction of the position", meaning: "How much of each leg is closed (1: all of it)." },
  "market.adl": { unit: "", meaning: "Stochastic auto-deleveraging, a stress assumption: when an asset moves by more than `move` within `within`, each perp leg on it in profit is closed whole, with `probability`, at the mark at the end of the step where the move passed the threshold (once per such episode). Drawn from a stream of its own per path, the same in every mode." },
  "market.adl.move": { unit: "fraction of the price", meaning: "Up or down move (highest high or lowest low against the price `within` ago) that sets off an episode." },
  "market.adl.within": { unit: "s, m, h or d", meaning: "Window the move is measured over, in whole steps (at least one)." },
  "market.adl.probability": { unit: "probability", meaning: "Chance that a profitable perp leg is closed in an episode." },

  policies: { unit: "", meaning: "The route's rules, run on every path of replay and the Monte Carlo alike, in every mode unless `modes` pins them. A run reports each mode with them and, beside it, `<mode>-passive` without them on the same paths." },
  "policies[kind=*].kind": { unit: "", meaning: "`topUp`, `deRisk`, `unwind` or `exit`." },
  "policies[kind=*].name": { unit: "", meaning: "Name in the report, in policy-outcomes.csv and in sweeps (`policies.<name>.maxTotal`); default `<kind>-<index>`." },
  "policies[kind=*].modes": { unit: "", meaning: "Margin modes the policy applies in (default: every mode compared)." },
  "policies[kind=*].route": { unit: "", meaning: "The route it acts on (default: every route)." },
  "policies[kind=*].when": { unit: "", meaning: "What sets the policy off." },
  "policies[kind=*].when.distanceBelow": { unit: "fraction of the mark", meaning: "Acts while the distance to liquidation is below this (the watched leg's in isolated, its account's in cross and portfolio), as soon as the crossing happens inside a step; again after `cooldown` if still below." },
  "policies[kind=*].cooldown": { unit: "s, m, h or d", meaning: "Least time between two actions of the policy." },
  "policies[kind=*].delay": { unit: "s, m, h or d", meaning: "topUp: transfer time from another account (the money leaves at the trigger, arrives this much later, in neither account meanwhile). unwind: time from the leg's loss to the close of the others." },
  "policies[kind=topUp].leg": { unit: "", meaning: "The perp leg whose distance is watched and whose margin is topped up." },
  "policies[kind=topUp].account": { unit: "", meaning: "Or the account watched (isolated: its position nearest liquidation is topped up)." },
  "policies[kind=topUp].add": { unit: "", meaning: "`{ amount }` in quote currency per action, or `{ toDistance }`: as much as brings the distance back to that fraction." },
  "policies[kind=topUp].from": { unit: "", meaning: "`free-balance` (the account's own wallet into the isolated allocation: the venues' auto-add margin; isolated only), `account:<name>` (a transfer from another account's wallet), or `sell-spot:<spot leg>` (sell spot and reduce the perp by the same quantity, adding the proceeds as margin)." },
  "policies[kind=topUp].fee": { unit: money, meaning: "Cost of each transfer from another account, deducted on arrival." },
  "policies[kind=topUp].maxTotal": { unit: money, meaning: "The most the policy may move over the horizon; wanting more records the reserve as exhausted." },
  "policies[kind=deRisk].reduce": { unit: "fraction of each leg", meaning: "Share of every leg of the route sold or bought back at each action (taker fee and slippage), or `close`." },
  "policies[kind=exit].when": { unit: "rate per 8 h, settlements; or quote currency", meaning: "`{ fundingBelow, settlements }`: close the route when its net funding (what its perps receive, per 8 h of their notional) stays below `fundingBelow` for `settlements` settlements in a row; or `{ pnlBelow }`: close every route when the scenario's PnL falls to that level (located inside the step)." },
};

/** The note for a field path: an exact entry, else one whose `*` segments match. */
export function fieldNoteFor(path: string): FieldNote | undefined {
  return fieldNotes[path] ?? Object.entries(fieldNotes).find(([pattern]) => pattern.includes("*") && notePattern(pattern).test(path))?.[1];
}

/** A note key as a regular expression: `*` stands for one path segment or one variant value. */
export function notePattern(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\<>]/g, "\\$&")).join("[^.\\]]+");
  return new RegExp(`^${escaped}$`);
}
