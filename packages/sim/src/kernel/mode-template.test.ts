import { money, type Account } from "@mstress/core/engine";
import { describe, expect, it } from "vitest";
import { shareQuantities, type ModeTemplate } from "./mode-template.js";

/** A template holding only what shareQuantities reads: its accounts' positions (leg and quantity). */
function templateWith(positions: { leg: string; quantity: string }[]): ModeTemplate {
  const account = { positions: positions.map((p) => ({ leg: p.leg, quantity: money(p.quantity) })) } as unknown as Account;
  return { accounts: [account] } as unknown as ModeTemplate;
}

describe("shareQuantities", () => {
  it("gives every mode's position on a leg the first mode's decimal when they are equal, and leaves unequal ones", () => {
    const isolated = templateWith([{ leg: "short", quantity: "1" }, { leg: "other", quantity: "0.5" }]);
    const cross = templateWith([{ leg: "short", quantity: "1.000" }, { leg: "other", quantity: "0.25" }]);
    const portfolio = templateWith([{ leg: "short", quantity: "1" }]);
    const quantity = (template: ModeTemplate, i: number) => template.accounts[0]?.positions[i]?.quantity;
    const firstShort = quantity(isolated, 0);
    const crossOther = quantity(cross, 1);
    shareQuantities([isolated, cross, portfolio]);
    expect(quantity(cross, 0)).toBe(firstShort);
    expect(quantity(portfolio, 0)).toBe(firstShort);
    // 0.25 is not 0.5: the cross position keeps its own decimal, and its value.
    expect(quantity(cross, 1)).toBe(crossOther);
    expect(quantity(cross, 1)?.toString()).toBe("0.25");
  });
});
