// The engine: instruments, venues' terms, accounts, margin, the ledger, funding and liquidation, without the
// scenario and venue schemas. A worker thread imports only this (`@mstress/core/engine`): it receives a parsed
// scenario and never loads zod or yaml, which are most of the package's start-up time (~0.2 s per worker).
export * from "./errors/mstress-error.js";
export * from "./venue/maintenance-bracket.js";
export * from "./venue/perpetual-terms.js";
export * from "./venue/interned-string.js";
export * from "./margin/margin-mode.js";
export * from "./margin/maintenance-margin.js";
export * from "./ledger/money.js";
export * from "./ledger/ledger-event.js";
export * from "./ledger/ledger.js";
export * from "./funding/funding-payment.js";
export * from "./account/market-snapshot.js";
export * from "./account/account.js";
export * from "./account/account-risk.js";
export * from "./liquidation/liquidation-price.js";
export * from "./liquidation/price-factor-solver.js";
export * from "./liquidation/liquidate-account.js";
export * from "./liquidation/liquidation-calculator.js";
export * from "./statistics/standard-normal-quantile.js";
export * from "./statistics/cholesky-factor.js";
export * from "./scenario/policy-source.js";
export * from "./scenario/auto-step.js";
