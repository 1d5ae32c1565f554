/**
 * Which collateral the venue may draw on to keep a position open (docs/domain.md "Margin modes"). The mode changes
 * neither the funding rate, nor the notional, nor the contract.
 */
export const marginModes = ["isolated", "cross", "portfolio"] as const;
export type MarginMode = (typeof marginModes)[number];

export function isMarginMode(value: string): value is MarginMode {
  return (marginModes as readonly string[]).includes(value);
}
