/**
 * Which collateral the venue may draw on to keep a position open (docs/domain.md "Margin modes"). The mode changes
 * neither the funding rate, nor the notional, nor the contract.
 */
export const marginModes = ["isolated", "cross", "portfolio"] as const;
export type MarginMode = (typeof marginModes)[number];

export function isMarginMode(value: string): value is MarginMode {
  return (marginModes as readonly string[]).includes(value);
}

/**
 * How results name an evaluation of the route: its margin mode (with the scenario's policies, if any), or
 * `<mode>-passive` for the same mode without them, the baseline a scenario with policies is compared with.
 */
export type ModeLabel = MarginMode | `${MarginMode}-passive`;

export function isModeLabel(value: string): value is ModeLabel {
  return isMarginMode(value) || (value.endsWith("-passive") && isMarginMode(value.slice(0, -"-passive".length)));
}

/** The margin mode a label evaluates. */
export function modeOfLabel(label: ModeLabel): MarginMode {
  return (label.endsWith("-passive") ? label.slice(0, -"-passive".length) : label) as MarginMode;
}
