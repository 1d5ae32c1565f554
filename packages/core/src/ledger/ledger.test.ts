import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Account } from "../account/account.js";
import { snapshotOf, type MarketSnapshot } from "../account/market-snapshot.js";
import { MstressError } from "../errors/mstress-error.js";
import { liquidateDue } from "../liquidation/liquidate-account.js";
import type { Side } from "../liquidation/liquidation-price.js";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms, type PerpetualTerms } from "../venue/perpetual-terms.js";
import type { VenueProfile } from "../venue/venue-profile.js";
import type { BalanceBucket, LedgerEvent } from "./ledger-event.js";
import { Ledger, bucketKey } from "./ledger.js";
import { money } from "./money.js";

function loadVenue(file: string): VenueProfile {
  return parseVenueProfile(readFileSync(new URL(`../../venues/${file}`, import.meta.url), "utf8"), file);
}

const wallet: BalanceBucket = { account: "a" };
const isolated: BalanceBucket = { account: "a", isolatedLeg: "short" };

/** One event of each kind on `bucket`, amount 100 (the extra fields the kind needs filled in). */
function eventOf(kind: LedgerEvent["kind"], bucket: BalanceBucket, amount = money(100)): LedgerEvent {
  const base = { t: 0, bucket, amount };
  switch (kind) {
    case "deposit":
    case "isolated-allocation":
    case "isolated-release":
    case "insurance-cover":
      return { ...base, kind };
    case "realised-profit":
    case "realised-loss":
      return { ...base, kind, leg: "short", price: money(60_000), quantity: money(1) };
    case "trading-fee":
    case "liquidation-fee":
    case "insurance-contribution":
      return { ...base, kind, leg: "short" };
    case "funding-received":
    case "funding-paid":
      return { ...base, kind, leg: "short", rate: 0.0001 };
    case "margin-top-up":
    case "transfer-fee":
      return { ...base, kind, policy: "p" };
    case "transfer-out":
      return { ...base, kind, to: "b", policy: "p" };
    case "transfer-in":
      return { ...base, kind, from: "b", policy: "p" };
    case "spot-sale":
      return { ...base, kind, leg: "spot", price: money(60_000), quantity: money(1), fee: money(0), action: "unwind" };
  }
}

describe("Ledger.book: each event kind moves the right bucket the right way", () => {
  // Starting from a wallet of 1,000, one event of 100 on the wallet: + for inflows, − for outflows (ledger-event.ts).
  const cases: readonly [LedgerEvent["kind"], number][] = [
    ["deposit", 1_100],
    ["realised-profit", 1_100],
    ["funding-received", 1_100],
    ["insurance-cover", 1_100],
    ["realised-loss", 900],
    ["trading-fee", 900],
    ["funding-paid", 900],
    ["liquidation-fee", 900],
    ["insurance-contribution", 900],
    ["transfer-in", 1_100],
    ["spot-sale", 1_100],
    ["transfer-out", 900],
    ["transfer-fee", 900],
  ];
  for (const [kind, expected] of cases) {
    it(`${kind} of 100 on a wallet of 1,000 leaves ${expected}`, () => {
      const ledger = new Ledger();
      ledger.book(eventOf("deposit", wallet, money(1_000)));
      ledger.book(eventOf(kind, wallet));
      expect(ledger.balance(wallet).toNumber()).toBe(expected);
      expect(ledger.balance(isolated).toNumber()).toBe(0); // no other bucket moved
      expect(ledger.totalBalance().toNumber()).toBe(expected);
    });
  }

  it("margin-top-up moves wallet → isolated, as an allocation does", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("margin-top-up", isolated, money(250)));
    expect(ledger.balance(wallet).toNumber()).toBe(750);
    expect(ledger.balance(isolated).toNumber()).toBe(250);
  });

  it("isolated-allocation moves wallet → isolated; isolated-release moves it back", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("isolated-allocation", isolated, money(300)));
    expect(ledger.balance(wallet).toNumber()).toBe(700);
    expect(ledger.balance(isolated).toNumber()).toBe(300);
    ledger.book(eventOf("isolated-release", isolated, money(120)));
    expect(ledger.balance(wallet).toNumber()).toBe(820);
    expect(ledger.balance(isolated).toNumber()).toBe(180);
    expect(ledger.totalBalance().toNumber()).toBe(1_000); // transfers create and destroy nothing
  });

  it("a realised loss on an isolated bucket moves only that bucket", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("isolated-allocation", isolated, money(300)));
    ledger.book(eventOf("realised-loss", isolated, money(250)));
    expect(ledger.balance(isolated).toNumber()).toBe(50);
    expect(ledger.balance(wallet).toNumber()).toBe(700);
  });

  it("totals() sums each flow: realised PnL and funding net, fees and fund flows gross", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("realised-profit", wallet, money(40)));
    ledger.book(eventOf("realised-loss", wallet, money(15)));
    ledger.book(eventOf("funding-received", wallet, money(3)));
    ledger.book(eventOf("funding-paid", wallet, money(5)));
    ledger.book(eventOf("trading-fee", wallet, money(2)));
    ledger.book(eventOf("liquidation-fee", wallet, money(7)));
    ledger.book(eventOf("insurance-contribution", wallet, money(11)));
    ledger.book(eventOf("insurance-cover", wallet, money(13)));
    const totals = ledger.totals();
    expect(totals.deposits.toNumber()).toBe(1_000);
    expect(totals.realisedPnl.toNumber()).toBe(25); // 40 − 15
    expect(totals.funding.toNumber()).toBe(-2); // 3 − 5
    expect(totals.tradingFees.toNumber()).toBe(2);
    expect(totals.liquidationFees.toNumber()).toBe(7);
    expect(totals.insuranceContributions.toNumber()).toBe(11);
    expect(totals.insuranceCover.toNumber()).toBe(13);
    // 1,000 + 40 − 15 + 3 − 5 − 2 − 7 − 11 + 13 = 1,016
    expect(ledger.totalBalance().toNumber()).toBe(1_016);
  });

  it("rejects a negative amount (and a non-finite one), booking nothing", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    for (const amount of [money(-1), money(-0.00000001), money(Number.NaN), money(Number.POSITIVE_INFINITY)]) {
      let thrown: unknown;
      try {
        ledger.book(eventOf("trading-fee", wallet, amount));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MstressError);
      expect(thrown instanceof MstressError ? thrown.code : undefined).toBe("E_INVARIANT");
    }
    expect(ledger.events).toHaveLength(1);
    expect(ledger.balance(wallet).toNumber()).toBe(1_000);
  });

  it("a zero amount is allowed and moves nothing", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("trading-fee", wallet, money(0)));
    expect(ledger.balance(wallet).isZero()).toBe(true);
  });

  it("bucket keys: the wallet is the account name, an isolated bucket is account/isolated/leg", () => {
    expect(bucketKey(wallet)).toBe("a");
    expect(bucketKey(isolated)).toBe("a/isolated/short");
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("isolated-allocation", isolated, money(300)));
    ledger.book(eventOf("deposit", { account: "ab" }, money(5))); // "ab" is another account, not a bucket of "a"
    expect(ledger.accountBalances("a").map((b) => [b.key, b.balance.toNumber()])).toEqual([
      ["a", 700],
      ["a/isolated/short", 300],
    ]);
  });
});

describe("Ledger: exact tallies behind the float mirrors", () => {
  // Balances are kept as whole numbers of 1e-8 in float64 integers while they fit (exact-tally.ts), decimals
  // otherwise; every read must equal the plain decimal sum of the amounts booked.
  it("keeps the exact decimal sum across amounts off the 1e-8 grid and totals beyond 2^53 units", () => {
    const ledger = new Ledger();
    const amounts = [money("0.1"), money("0.2"), money("123.45678901"), money("0.000000001"), money("100000000"), money("0.3"), money("45000000.00000001")];
    let expected = money(0);
    for (const amount of amounts) {
      ledger.book(eventOf("deposit", wallet, amount));
      expected = expected.plus(amount);
      expect(ledger.balance(wallet).toString()).toBe(expected.toString());
      expect((ledger.balanceTally(bucketKey(wallet))?.value ?? 0)).toBe(expected.toNumber());
    }
    ledger.book(eventOf("trading-fee", wallet, money("145000123.75678901")));
    expected = expected.minus(money("145000123.75678901"));
    expect(ledger.balance(wallet).toString()).toBe(expected.toString());
    expect((ledger.balanceTally(bucketKey(wallet))?.value ?? 0)).toBe(expected.toNumber());
  });

  it("takes the caller's units for an amount (a shared funding payment) and gives the same books", () => {
    const plain = new Ledger();
    const withUnits = new Ledger();
    for (const ledger of [plain, withUnits]) ledger.book(eventOf("deposit", wallet, money(1_000)));
    const payments = ["0.00060001", "6.12345678", "0.1", "17"];
    for (const p of payments) {
      plain.book(eventOf("funding-paid", wallet, money(p)));
      withUnits.book(eventOf("funding-paid", wallet, money(p)), money(p).times(1e8).toNumber());
    }
    expect(withUnits.balance(wallet).toString()).toBe(plain.balance(wallet).toString());
    expect((withUnits.balanceTally("a")?.value ?? 0)).toBe((plain.balanceTally("a")?.value ?? 0));
    expect(withUnits.totals().funding.toString()).toBe(plain.totals().funding.toString());
  });

  it("totalValues are the totals' nearest doubles; a clone books independently", () => {
    const ledger = new Ledger();
    ledger.book(eventOf("deposit", wallet, money(1_000)));
    ledger.book(eventOf("funding-received", wallet, money("0.1")));
    ledger.book(eventOf("funding-paid", wallet, money("0.3")));
    ledger.book(eventOf("realised-loss", wallet, money("0.000000001")));
    const totals = ledger.totals();
    const values = ledger.totalValues();
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) expect(values[key]).toBe(totals[key].toNumber());
    expect(values.funding).toBe(-0.2);
    const copy = ledger.clone();
    copy.book(eventOf("trading-fee", wallet, money(5)));
    expect(copy.balance(wallet).toString()).toBe(ledger.balance(wallet).minus(5).toString());
    expect(ledger.events).toHaveLength(4);
    expect(copy.events).toHaveLength(5);
    expect(ledger.totals().tradingFees.isZero()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Conservation over random account histories

type Asset = "BTC" | "ETH";

interface Desk {
  readonly account: Account;
  readonly symbols: Partial<Record<Asset, PerpetualTerms>>;
}

type Step =
  | { readonly kind: "deposit"; readonly desk: number; readonly cents: number }
  | { readonly kind: "open"; readonly desk: number; readonly asset: Asset; readonly side: Side; readonly units: number; readonly allocation: number }
  | { readonly kind: "funding"; readonly rate: number }
  | { readonly kind: "move"; readonly btc: number; readonly eth: number }
  | { readonly kind: "exit"; readonly desk: number }
  // What the route's rules book: a top-up of an isolated allocation from the wallet, a transfer between two
  // accounts (in flight until it arrives, less a fee), a trade reducing a position, a sale of spot.
  | { readonly kind: "top-up"; readonly desk: number; readonly share: number }
  | { readonly kind: "transfer"; readonly from: number; readonly to: number; readonly share: number; readonly fee: number; readonly arrives: boolean }
  | { readonly kind: "reduce"; readonly desk: number; readonly fraction: number }
  | { readonly kind: "spot"; readonly desk: number; readonly units: number; readonly sell: number };

const deskCount = 5;
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deposit" as const), desk: fc.nat({ max: deskCount - 1 }), cents: fc.integer({ min: 1, max: 5_000_000 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("open" as const),
      desk: fc.nat({ max: deskCount - 1 }),
      asset: fc.constantFrom<Asset>("BTC", "ETH"),
      side: fc.constantFrom<Side>(1, -1),
      units: fc.integer({ min: 1, max: 3_000 }),
      allocation: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("funding" as const), rate: fc.double({ min: -0.01, max: 0.01, noNaN: true }) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("move" as const), btc: fc.double({ min: 0.85, max: 1.15, noNaN: true }), eth: fc.double({ min: 0.85, max: 1.15, noNaN: true }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("exit" as const), desk: fc.nat({ max: deskCount - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("top-up" as const), desk: fc.nat({ max: deskCount - 1 }), share: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      from: fc.nat({ max: deskCount - 1 }),
      to: fc.nat({ max: deskCount - 1 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      fee: fc.integer({ min: 0, max: 50 }),
      arrives: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reduce" as const), desk: fc.nat({ max: deskCount - 1 }), fraction: fc.double({ min: 0.01, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("spot" as const), desk: fc.nat({ max: deskCount - 1 }), units: fc.integer({ min: 1, max: 2_000 }), sell: fc.double({ min: 0, max: 1, noNaN: true }) }) },
);

const binance = loadVenue("binance-usdm.yaml");
const hyperliquid = loadVenue("hyperliquid.yaml");
const bybit = loadVenue("bybit-linear.yaml");

function desks(ledger: Ledger): Desk[] {
  const binanceSymbols = { BTC: perpetualTerms(binance, "BTCUSDT"), ETH: perpetualTerms(binance, "ETHUSDT") };
  const hyperliquidSymbols = { BTC: perpetualTerms(hyperliquid, "BTC"), ETH: perpetualTerms(hyperliquid, "ETH") };
  return [
    // bankruptcy settlement, largest-loss-first, no partial
    { account: new Account("bn-iso", binance, "isolated", ledger), symbols: binanceSymbols },
    { account: new Account("bn-cross", binance, "cross", ledger), symbols: binanceSymbols },
    // mark settlement, all-at-once, 20 % partial above 100k
    { account: new Account("hl-iso", hyperliquid, "isolated", ledger), symbols: hyperliquidSymbols },
    { account: new Account("hl-cross", hyperliquid, "cross", ledger), symbols: hyperliquidSymbols },
    // entry-value convention, to-lower-tier partial, BTC only
    { account: new Account("bb-iso", bybit, "isolated", ledger), symbols: { BTC: perpetualTerms(bybit, "BTCUSDT") } },
  ];
}

function expectConservation(ledger: Ledger): void {
  // deposits + realised PnL − trading fees + funding + spot sales − transfer fees − in flight
  //   = Σ balances + (liquidation fees + contributions − cover), in flight = transfers out − transfers in
  const totals = ledger.totals();
  const inFlight = totals.transfersOut.minus(totals.transfersIn);
  const inflow = totals.deposits.plus(totals.realisedPnl).minus(totals.tradingFees).plus(totals.funding).plus(totals.spotSales).minus(totals.transferFees).minus(inFlight);
  const held = ledger.totalBalance().plus(totals.liquidationFees.plus(totals.insuranceContributions).minus(totals.insuranceCover));
  expect(inflow.equals(held), `${inflow.toString()} != ${held.toString()}`).toBe(true);
}

describe("property: the ledger conserves money over random histories", () => {
  it("deposit / open (isolated or cross) / funding / mark moves with liquidateDue / exitAll", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_000, max: 200_000 }), { minLength: deskCount, maxLength: deskCount }),
        fc.array(stepArbitrary, { minLength: 10, maxLength: 60, size: "max" }),
        (initial, steps) => {
          const ledger = new Ledger();
          const all = desks(ledger);
          all.forEach(({ account }, index) => {
            account.deposit(0, money(initial[index] ?? 0));
          });
          let prices = { BTC: 60_000, ETH: 3_000 };
          let market: MarketSnapshot = snapshotOf(new Map(Object.entries(prices)));
          let legs = 0;
          let t = 0;

          const liquidateAll = (): void => {
            for (const { account } of all) {
              const records = liquidateDue(account, t, market);
              for (const record of records.filter((r) => r.closesLeg)) {
                // An isolated leg that was closed leaves nothing negative in its own bucket.
                if (account.mode === "isolated") expect(account.isolatedMargin(record.leg)).toBeGreaterThanOrEqual(0);
              }
              // A cross account liquidated flat has no negative wallet (the fund covered it).
              if (account.mode !== "isolated" && records.length > 0 && account.positions.length === 0) {
                expect(account.walletBalance()).toBeGreaterThanOrEqual(0);
              }
            }
          };

          for (const step of steps) {
            t += 1;
            switch (step.kind) {
              case "deposit":
                all[step.desk]?.account.deposit(t, money(step.cents).div(100));
                break;
              case "open": {
                const desk = all[step.desk];
                const terms = desk?.symbols[step.asset];
                if (desk === undefined || terms === undefined) break;
                const quantity = money(step.units).div(step.asset === "BTC" ? 1_000 : 100);
                const notional = quantity.toNumber() * prices[step.asset];
                const allocation = money(notional * step.allocation).toDecimalPlaces(2);
                const fee = notional * terms.takerFeeRate;
                const isIsolated = desk.account.mode === "isolated";
                // Open only what the wallet can pay for (an allocation plus the fee, or 1 % margin in cross).
                const needed = isIsolated ? allocation.toNumber() + fee : notional * 0.01 + fee;
                if (desk.account.walletBalance() < needed) break;
                legs += 1;
                const leg = { leg: `L${legs}`, route: "r", terms, side: step.side, quantity };
                desk.account.openPerpetual(t, isIsolated ? { ...leg, isolatedMargin: allocation } : leg, prices[step.asset]);
                break;
              }
              case "funding":
                for (const { account } of all) account.settleFunding(t, market, () => step.rate);
                liquidateAll();
                break;
              case "move":
                prices = { BTC: prices.BTC * step.btc, ETH: prices.ETH * step.eth };
                market = snapshotOf(new Map(Object.entries(prices)));
                liquidateAll();
                break;
              case "exit":
                all[step.desk]?.account.exitAll(t, market);
                break;
              case "top-up": {
                const account = all[step.desk]?.account;
                const position = account?.positions[0];
                if (account === undefined || position === undefined || account.mode !== "isolated") break;
                account.topUpIsolated(t, position.leg, money(Math.max(0, account.walletBalance()) * step.share).toDecimalPlaces(2, 1), "p");
                break;
              }
              case "transfer": {
                const from = all[step.from]?.account;
                const to = all[step.to]?.account;
                if (from === undefined || to === undefined || from === to) break;
                const amount = money(Math.max(0, from.walletBalance()) * step.share).toDecimalPlaces(2, 1);
                from.sendTransfer(t, amount, to.name, "p");
                if (step.arrives) to.receiveTransfer(t, amount, money(Math.min(step.fee, amount.toNumber())), from.name, "p");
                break;
              }
              case "reduce": {
                const account = all[step.desk]?.account;
                const position = account?.positions[0];
                if (account === undefined || position === undefined) break;
                const quantity = position.quantity.times(step.fraction).toDecimalPlaces(3, 2);
                account.reducePerpetual(t, position, quantity.isZero() ? position.quantity : quantity, market.markPrice(position.terms) * 1.0005, position.terms.takerFeeRate, "de-risk");
                break;
              }
              case "spot": {
                const account = all[step.desk]?.account;
                if (account === undefined) break;
                legs += 1;
                const holding = account.holdSpot({ leg: `S${legs}`, route: "r", asset: "BTC", side: 1, quantity: money(step.units).div(1000) }, prices.BTC);
                const sold = holding.quantity.times(step.sell).toDecimalPlaces(3, 1);
                if (sold.isPositive()) account.sellSpot(t, holding, sold, prices.BTC * 0.999, 0.001, "sell-spot");
                break;
              }
            }
            expectConservation(ledger);
          }
          for (const { account } of all) account.exitAll(t + 1, market);
          expectConservation(ledger);
          for (const { account } of all) expect(account.positions).toHaveLength(0);
        },
      ),
      { numRuns: 100, seed: 1_234_567 },
    );
  });
});

describe("Ledger: the last bucket and kind it booked to", () => {
  it("books to each bucket and kind its own tally, on a copy as on the original", () => {
    // Two different bucket objects with the same key, and a copy booked on separately: every balance and total is
    // the sum of what was booked to it, counted by hand.
    const ledger = new Ledger();
    const wallet = { account: "a" };
    const isolated = { account: "a", isolatedLeg: "short" };
    ledger.book({ kind: "deposit", t: 0, bucket: wallet, amount: money("100") });
    ledger.book({ kind: "isolated-allocation", t: 0, bucket: isolated, amount: money("30") });
    const copy = ledger.clone();
    ledger.book({ kind: "funding-received", t: 1, bucket: isolated, amount: money("0.5"), leg: "short", rate: 1e-4 });
    ledger.book({ kind: "funding-received", t: 2, bucket: { account: "a", isolatedLeg: "short" }, amount: money("0.25"), leg: "short", rate: 1e-4 });
    ledger.book({ kind: "funding-paid", t: 3, bucket: wallet, amount: money("0.1"), leg: "short", rate: -1e-4 });
    copy.book({ kind: "funding-paid", t: 1, bucket: isolated, amount: money("2"), leg: "short", rate: -1e-4 });
    expect(ledger.balance(isolated).toString()).toBe("30.75");
    expect(ledger.balance(wallet).toString()).toBe("69.9");
    expect(ledger.totals().funding.toString()).toBe("0.65");
    expect(copy.balance(isolated).toString()).toBe("28");
    expect(copy.balance(wallet).toString()).toBe("70");
    expect(copy.totals().funding.toString()).toBe("-2");
  });
});


describe("Ledger.stopKeepingEvents: balances and totals without the event log", () => {
  it("gives the same exact balances and totals as a ledger that logs, on its copies too, and refuses its events", () => {
    // The same bookings into two ledgers, one of which stops logging after the deposit: funding by units (the
    // Monte Carlo's path), including amounts past 2^53 units so the tallies fall back to decimals.
    const logging = new Ledger();
    const silent = new Ledger();
    const wallet = { account: "a" };
    const isolated = { account: "a", isolatedLeg: "short" };
    for (const ledger of [logging, silent]) ledger.book({ kind: "deposit", t: 0, bucket: wallet, amount: money("100") });
    silent.stopKeepingEvents();
    expect(silent.keepsEvents).toBe(false);
    const silentCopy = silent.clone();
    const loggingCopy = logging.clone();
    const bookings: [Ledger, Ledger][] = [
      [logging, silent],
      [loggingCopy, silentCopy],
    ];
    for (const [a, b] of bookings) {
      for (const ledger of [a, b]) {
        ledger.book({ kind: "isolated-allocation", t: 0, bucket: isolated, amount: money("30") });
        ledger.bookFundingUnits("funding-received", 1, isolated, "short", 1e-4, 50_000_000);
        ledger.bookFundingUnits("funding-paid", 2, wallet, "short", -1e-4, 12_345_678);
        ledger.bookFundingUnits("funding-received", 3, wallet, "short", 1e-4, 9_000_000_000_000_000);
        ledger.bookFundingUnits("funding-received", 4, wallet, "short", 1e-4, 9_000_000_000_000_000);
      }
      expect(b.balance(isolated).toString()).toBe(a.balance(isolated).toString());
      expect(b.balance(wallet).toString()).toBe(a.balance(wallet).toString());
      expect((b.balanceTally(bucketKey(wallet))?.value ?? 0)).toBe((a.balanceTally(bucketKey(wallet))?.value ?? 0));
      expect(b.totals().funding.toString()).toBe(a.totals().funding.toString());
      expect(b.totalValues()).toEqual(a.totalValues());
    }
    // By hand: 100 - 30 - 0.12345678 + 2 x 90,000,000 in the wallet (1.8e16 units: past 2^53, so in decimals);
    // 30 + 0.5 isolated; funding 0.5 - 0.12345678 + 1.8e8.
    expect(silent.balance(wallet).toString()).toBe("180000069.87654322");
    expect(silent.balance(isolated).toString()).toBe("30.5");
    expect(silent.totals().funding.toString()).toBe("180000000.37654322");
    expect(logging.events.map((event) => event.kind)).toEqual(["deposit", "isolated-allocation", "funding-received", "funding-paid", "funding-received", "funding-received"]);
    expect(() => silent.events).toThrow(MstressError);
    expect(() => silentCopy.events).toThrow(MstressError);
  });
});
