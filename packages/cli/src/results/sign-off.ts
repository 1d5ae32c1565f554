import { gateRows, verdictLine, type GateResult } from "@mstress/report";
import { alignedTable } from "../output/aligned-table.js";

/**
 * Raised after a run, merge or report has written everything and printed the gate, when the verdict is not a pass:
 * `main` turns it into the exit status (1 fail, 3 undecided) without printing more.
 */
export class SignOffExit extends Error {
  readonly exitCode: 1 | 3;

  constructor(gate: GateResult) {
    super(verdictLine(gate));
    this.name = "SignOffExit";
    this.exitCode = gate.exitCode === 1 ? 1 : 3;
  }
}

/** The gate as printed on the terminal: the verdict line, then one row per limit. */
export function signOffTable(gate: GateResult): string {
  const line = `sign-off ${gate.verdict.toUpperCase()}: ${verdictLine(gate)}`;
  return gate.evaluations.length === 0 ? line : `${line}\n\n${alignedTable(gateRows(gate), "left")}`;
}

/** Prints the gate on `out` and ends the command with its exit status: 0 pass or no limits, 1 fail, 3 undecided. */
export function signOff(gate: GateResult, out: NodeJS.WritableStream): void {
  out.write(`\n${signOffTable(gate)}\n`);
  if (gate.exitCode !== 0) throw new SignOffExit(gate);
}
