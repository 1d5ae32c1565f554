import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Ledger } from "../ledger/ledger.js";
import { money } from "../ledger/money.js";
import { Account } from "./account.js";
import type { VenueProfile } from "../venue/venue-profile.js";

// walletBalance and isolatedMargin keep the ledger's tally once found instead of looking the key up at every read.
// Whatever the order of bookings and reads (a read before anything is booked, legs asked for in turn, a clone
// booked on separately), each read must be the booked balance: the ledger's decimal, as the nearest double.

const legs = ["short-perp", "long-perp"] as const;

type Operation =
  | { readonly kind: "deposit"; readonly cents: number }
  | { readonly kind: "topUp"; readonly leg: 0 | 1; readonly cents: number }
  | { readonly kind: "transferOut"; readonly cents: number }
  | { readonly kind: "release"; readonly leg: 0 | 1 }
  | { readonly kind: "read"; readonly leg: 0 | 1 }
  | { readonly kind: "clone" };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("deposit" as const), cents: fc.integer({ min: 1, max: 10_000_000 }) }),
  fc.record({ kind: fc.constant("topUp" as const), leg: fc.constantFrom<0 | 1>(0, 1), cents: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({ kind: fc.constant("transferOut" as const), cents: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({ kind: fc.constant("release" as const), leg: fc.constantFrom<0 | 1>(0, 1) }),
  fc.record({ kind: fc.constant("read" as const), leg: fc.constantFrom<0 | 1>(0, 1) }),
  fc.constant({ kind: "clone" as const }),
);

function expectBalancesRead(account: Account): void {
  expect(account.walletBalance()).toBe(account.ledger.balance(account.wallet).toNumber());
  for (const leg of legs) expect(account.isolatedMargin(leg)).toBe(account.ledger.balance(account.isolatedBucket(leg)).toNumber());
}

describe("Account balance reads", () => {
  it("read 0 before anything is booked and the booked balance after every booking (property, fixed seed)", () => {
    // Bookings into the wallet and isolated buckets need no venue terms; the account only names its venue.
    const venue = { name: "test-venue" } as unknown as VenueProfile;
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        let account = new Account("futures", venue, "isolated", new Ledger());
        expect(account.walletBalance()).toBe(0);
        expect(account.isolatedMargin("short-perp")).toBe(0);
        operations.forEach((op, t) => {
          switch (op.kind) {
            case "deposit":
              account.deposit(t, money(op.cents).div(100));
              break;
            case "topUp":
              account.topUpIsolated(t, legs[op.leg], money(op.cents).div(100), "policy");
              break;
            case "transferOut":
              account.sendTransfer(t, money(op.cents).div(100), "reserve", "policy");
              break;
            case "release":
              account.releaseIsolated(t, legs[op.leg]);
              break;
            case "read":
              account.isolatedMargin(legs[op.leg]);
              break;
            case "clone": {
              // The copy books on its own ledger: its reads must not see the original's tallies, nor the reverse.
              const original = account;
              account = original.cloneOnto(original.ledger.clone());
              original.deposit(t, money(1));
              original.topUpIsolated(t, "long-perp", money(1), "policy");
              expectBalancesRead(original);
              break;
            }
          }
          expectBalancesRead(account);
        });
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
