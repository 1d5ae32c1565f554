// @mstress/sim/calibration: fitting the simulator's price and funding models to history. A separate entry so the
// run's start-up (and its workers) never load the optimiser.
export * from "./calibration/return-series.js";
export * from "./calibration/price-model-likelihood.js";
export * from "./calibration/gbm-likelihood.js";
export * from "./calibration/jump-diffusion-likelihood.js";
export * from "./calibration/garch-t-likelihood.js";
export * from "./calibration/maximum-likelihood.js";
export * from "./calibration/observed-information.js";
export * from "./calibration/simulated-history.js";
export * from "./calibration/recovery-cases.js";
export * from "./calibration/funding-fit.js";
