import { allocateMarketPath, allocatePathScratch, generateMarketPath, type MarketPath, type PathScratch } from "../models/market-path.js";
import { adlKey, AleaStream, pathKey } from "../rng/path-stream.js";
import { StepRefinement } from "./step-refinement.js";
import { AdlDraws } from "./adl-draws.js";
import { RouteEvaluator } from "./route-evaluator.js";
import type { KernelOutputs, OutputWidths } from "./simulate-chunk.js";
import type { SimulationPlan } from "./simulation-plan.js";

/**
 * The Monte Carlo's per-path work: the path generator (market models, seeded per path) fills a MarketPath, and
 * the route evaluator prices it under each evaluation (QuantLib's path generator -> path pricer decomposition).
 */
export class RouteKernel {
  readonly #plan: SimulationPlan;
  readonly #path: MarketPath;
  readonly #scratch: PathScratch;
  readonly #evaluator: RouteEvaluator;
  readonly #adl: AdlDraws | null;
  readonly #refinement: StepRefinement | null;
  /** One market and one ADL stream, reseeded for each path (the draws of a fresh stream per path, allocated once). */
  readonly #stream = new AleaStream();
  readonly #adlStream = new AleaStream();
  readonly widths: OutputWidths;

  constructor(plan: SimulationPlan) {
    this.#plan = plan;
    this.#path = allocateMarketPath(plan.market, plan.policySubStepSeconds !== null);
    this.#scratch = allocatePathScratch(plan.market);
    // A policy that sets something in motion inside a step is timed on sub-steps of the steps where it acts
    // (`policySubStep`: at most 15 minutes and half its delay), however coarse the step.
    const subStep = plan.policySubStepSeconds;
    this.#refinement = subStep === null ? null : new StepRefinement(plan.grid, this.#path, plan.scenario, plan.legAsset, subStep);
    this.#evaluator = new RouteEvaluator(plan, this.#path, this.#refinement);
    this.#adl = plan.adlModel === null ? null : new AdlDraws(plan.market.assets.length);
    this.widths = this.#evaluator.widths;
  }

  get steps(): number {
    return this.#plan.market.steps;
  }

  /**
   * Simulates path `pathIndex` and writes its rows (every evaluation) at slot `slot` of the outputs: the outcome,
   * account, route and policy rows, and when `sampled`, the PnL and distance to liquidation at every step end.
   */
  simulate(pathIndex: number, outputs: KernelOutputs, slot: number, sampled: boolean): void {
    const plan = this.#plan;
    generateMarketPath(plan.market, this.#stream.reseed(pathKey(plan.seed, pathIndex)), this.#path, this.#scratch);
    this.#adl?.draw(plan, this.#path, this.#adlStream.reseed(adlKey(plan.seed, pathIndex)));
    this.#refinement?.startPath(plan.seed, pathIndex);
    this.#evaluator.startPath();
    for (let e = 0; e < plan.evaluations.length; e++) this.#evaluator.evaluate(e, outputs, slot, sampled, this.#adl);
  }
}
