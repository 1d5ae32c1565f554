import { positive, unbounded } from "./free-parameter.js";
import { maximumLikelihood, type MaximumLikelihoodFit } from "./maximum-likelihood.js";
import type { Likelihood } from "./price-model-likelihood.js";

/** One settlement: the rate paid for the interval ending at `time` (seconds), and that interval's length. */
export interface FundingObservation {
  readonly time: number;
  readonly rate: number;
  readonly intervalHours: number;
}

export interface FundingFitInput {
  readonly settlements: readonly FundingObservation[];
  /** The index's log return over each settlement's interval (NaN where the prices do not cover it). */
  readonly intervalReturns: Float64Array;
  /** The venue's cap and floor on a per-interval rate, to count the settlements that hit them; null if unknown. */
  readonly limits: { readonly cap: number; readonly floor: number } | null;
}

/** A regression slope with its standard error. */
export interface Slope {
  readonly value: number;
  readonly standardError: number;
  readonly observations: number;
}

export interface FundingFit {
  readonly settlements: number;
  /** OLS slope of each settlement's change (per 8 h) on the interval's log return; null without prices to match. */
  readonly returnCoupling: Slope | null;
  /** The OU fit of the rate per 8 h less the coupling times the return: [mean, stdDev, halfLife (seconds)]. */
  readonly process: MaximumLikelihoodFit;
  readonly capHits: { readonly cap: number; readonly floor: number; readonly atCap: number; readonly atFloor: number } | null;
  readonly notes: readonly string[];
}

/** A rate within this of the cap or floor is at it (venues publish rates to 1e-8). */
const limitTolerance = 1e-10;

/**
 * The funding model of the scenario fitted to a venue's settlements, in its own terms (market-schema.ts, funding:
 * a rate per 8 h = an OU state + returnCoupling x the log return over the funding interval just ended; an N-hour
 * venue pays rate x N / 8). Each settlement is first put per 8 h (x 8 / N). The coupling is the least-squares
 * slope of each settlement's change on its interval's log return: with the OU's increments independent of the
 * returns (as the simulator draws them) and returns uncorrelated, that slope estimates the coupling. The OU is then
 * fitted by exact maximum likelihood to the rate less the coupling term, over whatever spacing the settlements have
 * (a transition over dt has decay e^{-ln2 dt / halfLife} and keeps the stationary variance), so gaps and interval
 * changes cost nothing. Settlements at the venue's cap or floor are counted: the model clamps there too, but the
 * fit does not treat them as censored, so many of them bias it (the notes say so).
 */
export function fitFunding(input: FundingFitInput): FundingFit {
  const { settlements, intervalReturns } = input;
  const perEight = settlements.map((s) => (s.rate * 8) / s.intervalHours);
  const notes: string[] = [];
  const coupling = couplingSlope(settlements, perEight, intervalReturns);
  if (coupling === null) notes.push("fewer than 10 settlements have the index's return over their interval: no return coupling fitted (0 used)");
  const c = coupling?.value ?? 0;
  const state = perEight.map((rate, i) => (coupling === null ? rate : rate - c * (intervalReturns[i] ?? Number.NaN)));
  const times = settlements.map((s) => s.time);
  const process = maximumLikelihood(ornsteinUhlenbeckLikelihood(times, state));
  const limits = input.limits;
  const capHits = limits === null ? null : {
    ...limits,
    atCap: settlements.filter((s) => Math.abs(s.rate - limits.cap) <= limitTolerance).length,
    atFloor: settlements.filter((s) => Math.abs(s.rate - limits.floor) <= limitTolerance).length,
  };
  if (capHits !== null && capHits.atCap + capHits.atFloor > 0.01 * settlements.length) {
    notes.push(`${String(capHits.atCap + capHits.atFloor)} settlements are at the venue's cap or floor: the OU fit takes them at face value, which understates the process's spread`);
  }
  return { settlements: settlements.length, returnCoupling: coupling, process, capHits, notes };
}

/** Least squares of Δrate_t on r_t over consecutive settlements one interval apart whose return is known. */
function couplingSlope(settlements: readonly FundingObservation[], perEight: readonly number[], returns: Float64Array): Slope | null {
  const xs: number[] = [];
  const ys: number[] = [];
  settlements.forEach((s, i) => {
    const previous = settlements[i - 1];
    const r = returns[i] ?? Number.NaN;
    if (previous === undefined || Number.isNaN(r)) return;
    if (Math.abs(s.time - previous.time - s.intervalHours * 3600) > 0.01 * s.intervalHours * 3600) return;
    xs.push(r);
    ys.push((perEight[i] ?? 0) - (perEight[i - 1] ?? 0));
  });
  const m = xs.length;
  if (m < 10) return null;
  const meanX = xs.reduce((a, b) => a + b, 0) / m;
  const meanY = ys.reduce((a, b) => a + b, 0) / m;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) * (x - meanX);
    sxy += (x - meanX) * ((ys[i] ?? 0) - meanY);
  });
  const slope = sxy / sxx;
  let rss = 0;
  xs.forEach((x, i) => {
    const residual = (ys[i] ?? 0) - meanY - slope * (x - meanX);
    rss += residual * residual;
  });
  return { value: slope, standardError: Math.sqrt(rss / (m - 2) / sxx), observations: m };
}

/**
 * The exact Gaussian likelihood of an Ornstein-Uhlenbeck process observed at `times` (Uhlenbeck & Ornstein 1930):
 * x_t | x_s ~ N(mean + (x_s - mean) phi, stdDev^2 (1 - phi^2)), phi = e^{-ln2 (t - s) / halfLife}, the first value
 * conditioned on. Parameters [mean, stdDev, halfLife (seconds)], as the scenario's funding block has them. NaN values
 * (a settlement whose coupling term is unknown) break the chain; the next value starts it again.
 */
export function ornsteinUhlenbeckLikelihood(times: readonly number[], values: readonly number[]): Likelihood {
  const pairs: { dt: number; from: number; to: number }[] = [];
  values.forEach((value, i) => {
    const previous = values[i - 1];
    if (i === 0 || previous === undefined || Number.isNaN(previous) || Number.isNaN(value)) return;
    pairs.push({ dt: (times[i] ?? 0) - (times[i - 1] ?? 0), from: previous, to: value });
  });
  const finite = values.filter((v) => !Number.isNaN(v));
  const mean0 = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
  const sd0 = Math.sqrt(finite.reduce((a, v) => a + (v - mean0) * (v - mean0), 0) / Math.max(1, finite.length - 1)) || 1e-6;
  const spacing = pairs.map((p) => p.dt).sort((a, b) => a - b)[Math.floor(pairs.length / 2)] ?? 3600;
  const free = [unbounded(sd0), positive(sd0), positive(10 * spacing)];
  return {
    parameters: [{ field: "mean", typical: sd0 }, { field: "stdDev", typical: sd0 }, { field: "halfLife", typical: 10 * spacing }],
    observations: pairs.length,
    toFree: (theta) => free.map((p, i) => p.toFree(theta[i] ?? 0)),
    fromFree: (u) => free.map((p, i) => p.toNatural(u[i] ?? 0)),
    negativeLogLikelihood(theta) {
      const [mean = 0, stdDev = 0, halfLife = 0] = theta;
      if (!(stdDev > 0 && halfLife > 0 && Number.isFinite(mean))) return Number.POSITIVE_INFINITY;
      let sum = 0;
      for (const { dt, from, to } of pairs) {
        const phi = Math.exp((-Math.LN2 * dt) / halfLife);
        const variance = stdDev * stdDev * (1 - phi * phi);
        if (!(variance > 0)) return Number.POSITIVE_INFINITY;
        const d = to - mean - (from - mean) * phi;
        sum += 0.5 * Math.log(2 * Math.PI * variance) + (d * d) / (2 * variance);
      }
      return sum;
    },
    startingPoints: () => [0.5, 5, 50].map((k) => [mean0, sd0, k * spacing]),
  };
}
