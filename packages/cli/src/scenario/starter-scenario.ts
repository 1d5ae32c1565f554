/**
 * The commented starter `mstress init <name>` writes: a funding carry on Binance with a Monte Carlo market,
 * every block explained, optional ones shown as comments. It validates and runs as written (tested).
 */
export function starterScenario(name: string): string {
  return `# Question: <the question this scenario answers, e.g. should our BTC carry run isolated or cross for 30 days?>
# Answer: <what the answer should look like, e.g. isolated is liquidated more often but loses at most its allocation>
# A starter written by \`mstress init\`. Check it with \`mstress validate ${name}.yaml\`, run it with
# \`mstress run ${name}.yaml --paths 2000\`. Every field, its unit, default and range: docs/scenario-reference.md;
# worked examples: \`mstress scenarios\`.
name: ${name}
description: >
  Short 1 BTC perp against 1 BTC spot on Binance: a funding carry. Edit the legs, accounts and market below.

# Accounts are collateral pools: a venue account or a sub-account. Accounts never share collateral.
accounts:
  - name: futures
    venue: binance-usdm          # binance-usdm, bybit-linear, okx-swap, hyperliquid, dydx-v4, or a venue file path
    deposit: 10000               # quote currency (USDT) in the margin wallet

# Legs: perps (the venue's own symbol) and spot holdings (collateral only in portfolio mode).
legs:
  - name: short-perp
    account: futures
    type: perp
    symbol: BTCUSDT
    side: short
    qty: 1                       # base units: 1 BTC
    isolatedMargin: 3000         # the allocation used when the run compares isolated mode
  - name: long-spot
    account: futures
    type: spot
    asset: BTC
    side: long
    qty: 1

# Margin modes to compare on the same paths (portfolio needs a venue with a portfolio block: binance-usdm).
modes: [isolated, cross, portfolio]

# Uncomment to name routes (legs held together; the hedge breaks when one is liquidated and another lives).
# routes:
#   - { name: carry, legs: [short-perp, long-spot] }

market:
  horizon: 30d
  step: 1h                       # must divide every funding interval (8 h here); wicks inside a step still count
  assets:
    BTC:
      price: 60000               # index at t = 0
      model:
        kind: jump-diffusion     # or gbm, garch-t, bootstrap
        drift: 0                 # per year
        volatility: 0.5          # per year
        jumps:
          up: { intensity: 6, mean: 0.04, stdDev: 0.02 }     # jumps per year, mean and sd of the log size
          down: { intensity: 6, mean: -0.05, stdDev: 0.03 }
      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: 6h }  # mark = index x (1 + basis)
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 2d, returnCoupling: 0.005 }   # rate per 8 h
  # A known shock inside the random paths, e.g. +12 % within an hour on day 3, funding at the venue cap:
  # stress:
  #   - { at: 3d, over: 1h, move: 0.12, funding: cap }

# Uncomment to make \`mstress run\` a sign-off gate (exit 0 pass, 1 fail, 3 undecided):
# limits:
#   - { mode: cross, metric: liquidationProbability, max: 0.01 }
`;
}
