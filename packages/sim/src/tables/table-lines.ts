import { accountOutcomeFields, accountOutcomeWidth, outcomeFields, outcomeWidth, policyOutcomeFields, policyOutcomeWidth, routeOutcomeFields, routeOutcomeWidth } from "../kernel/outcome-fields.js";
import { AsciiLines } from "./ascii-lines.js";

// The lines of the run's tidy tables (outcomes.csv, account-outcomes.csv, route-outcomes.csv, pnl-paths.csv),
// formatted where the rows are made: a worker formats its own chunk, in parallel with the others, instead of the
// main thread formatting every row after the run (most of it the fan-chart sample: 2,160 lines per sampled path
// of a 30-day, 1 h-step, three-mode run, ~2.5 ms each path, nearly all in turning doubles into text). A number is written in JavaScript's shortest round-trip form (reading
// it back gives the same double) and NaN as an empty cell; `mstress merge` formats the doubles it reads back with
// these same functions, so a merged result has the single run's bytes. Lines come as ASCII bytes (AsciiLines).

export const outcomesHeader = ["path", "mode", ...outcomeFields].join(",");
export const accountOutcomesHeader = ["path", "mode", "account", ...accountOutcomeFields].join(",");
export const routeOutcomesHeader = ["path", "mode", "route", ...routeOutcomeFields].join(",");
export const policyOutcomesHeader = ["path", "mode", "policy", ...policyOutcomeFields].join(",");
export const pnlPathsHeader = "path,mode,t,pnl,distanceToLiquidation";

/** outcomes.csv lines (no header) for rows laid out paths x modes x outcome fields, paths from `firstPath`. */
export function outcomeLines(rows: Float64Array, firstPath: number, modes: readonly string[]): Uint8Array {
  const out = new AsciiLines();
  const paths = rows.length / (modes.length * outcomeWidth);
  for (let i = 0; i < paths; i++) {
    for (let m = 0; m < modes.length; m++) {
      const at = (i * modes.length + m) * outcomeWidth;
      out.text(`${firstPath + i},${modes[m] ?? ""}`);
      for (let f = 0; f < outcomeWidth; f++) {
        out.comma();
        out.number(rows[at + f] ?? Number.NaN);
      }
      out.endLine();
    }
  }
  return out.bytes();
}

function entityLines(width: number, rows: Float64Array, firstPath: number, modes: readonly string[], names: readonly string[]): Uint8Array {
  const out = new AsciiLines();
  const perPath = modes.length * names.length * width;
  const paths = perPath === 0 ? 0 : rows.length / perPath;
  for (let i = 0; i < paths; i++) {
    for (let m = 0; m < modes.length; m++) {
      for (let e = 0; e < names.length; e++) {
        const at = i * perPath + (m * names.length + e) * width;
        out.text(`${firstPath + i},${modes[m] ?? ""},${names[e] ?? ""}`);
        for (let f = 0; f < width; f++) {
          out.comma();
          out.number(rows[at + f] ?? Number.NaN);
        }
        out.endLine();
      }
    }
  }
  return out.bytes();
}

/** account-outcomes.csv lines for rows laid out paths x modes x accounts x account fields. */
export function accountOutcomeLines(rows: Float64Array, firstPath: number, modes: readonly string[], accounts: readonly string[]): Uint8Array {
  return entityLines(accountOutcomeWidth, rows, firstPath, modes, accounts);
}

/** route-outcomes.csv lines for rows laid out paths x modes x routes x route fields. */
export function routeOutcomeLines(rows: Float64Array, firstPath: number, modes: readonly string[], routes: readonly string[]): Uint8Array {
  return entityLines(routeOutcomeWidth, rows, firstPath, modes, routes);
}

/** policy-outcomes.csv lines for rows laid out paths x modes x policies x policy fields. */
export function policyOutcomeLines(rows: Float64Array, firstPath: number, modes: readonly string[], policies: readonly string[]): Uint8Array {
  return entityLines(policyOutcomeWidth, rows, firstPath, modes, policies);
}

/** pnl-paths.csv lines for the sampled paths' PnL and distance, each laid out paths x modes x steps. */
export function pnlPathLines(pnl: Float64Array, distance: Float64Array, firstPath: number, paths: number, modes: readonly string[], steps: number, stepSeconds: number): Uint8Array {
  const out = new AsciiLines();
  const times = Array.from({ length: steps }, (_, s) => `,${(s + 1) * stepSeconds},`);
  for (let i = 0; i < paths; i++) {
    for (let m = 0; m < modes.length; m++) {
      const at = (i * modes.length + m) * steps;
      const prefix = `${firstPath + i},${modes[m] ?? ""}`;
      for (let s = 0; s < steps; s++) {
        out.text(prefix);
        out.text(times[s] ?? "");
        out.number(pnl[at + s] ?? Number.NaN);
        out.comma();
        out.number(distance[at + s] ?? Number.NaN);
        out.endLine();
      }
    }
  }
  return out.bytes();
}
