import type { MarginMode } from "@mstress/core/engine";
import { PolicyKind, TopUpSource } from "../policies/compiled-policies.js";
import type { WatchTrigger } from "../policies/route-actions.js";
import type { EvaluationPlan } from "./evaluation-plan.js";
import type { ModeTemplate } from "./mode-template.js";

/**
 * The distance triggers on each watched account of a mode's template: a topUp watches its leg (isolated: that
 * position alone) or its account (from the free balance: isolated accounts only); a deRisk watches every account holding a perp of its routes (isolated: those
 * positions). Policies pinned to other modes are left out.
 */
export function watchTriggers(plan: EvaluationPlan, mode: MarginMode, template: ModeTemplate): WatchTrigger[][] {
  const legsOf = (names: readonly number[]): Int32Array => Int32Array.from(names);
  return template.watches.map((watch, w) => {
    const accountIndex = template.watched[w] ?? -1;
    const triggers: WatchTrigger[] = [];
    for (const policy of plan.policies.policies) {
      if (!policy.modes.includes(mode) || Number.isNaN(policy.distanceBelow)) continue;
      const isolated = watch.account.mode === "isolated";
      if (policy.kind === PolicyKind.TopUp) {
        // From the account's own free balance a top-up adds nothing to a cross or portfolio account, whose wallet
        // already backs its positions: nothing to watch there.
        if (policy.account !== accountIndex || (policy.source === TopUpSource.FreeBalance && !isolated)) continue;
        triggers.push({ policy: policy.index, distance: policy.distanceBelow, legs: isolated && policy.leg >= 0 ? legsOf([policy.leg]) : null });
      } else if (policy.kind === PolicyKind.DeRisk) {
        const held = [...policy.routeLegs].filter((leg) => watch.account.positions.some((p) => p.leg === plan.scenario.legs[leg]?.name));
        if (held.length === 0) continue;
        triggers.push({ policy: policy.index, distance: policy.distanceBelow, legs: isolated ? legsOf(held) : null });
      }
    }
    return triggers;
  });
}
