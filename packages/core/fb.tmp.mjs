import { Account, Ledger, money, perpetualTerms, parseVenueProfile, snapshotOf, marginSurplus, maintenanceMargin, unrealisedPnl } from "./dist/index.js";
import { readFileSync } from "node:fs";
const venue = parseVenueProfile(readFileSync("venues/binance-usdm.yaml","utf8"),"b");
const terms = perpetualTerms(venue, "BTCUSDT");
const ledger = new Ledger(); const acc = new Account("main", venue, process.argv[2] ?? "cross", ledger);
acc.deposit(0, money(10000)); acc.openPerpetual(0, {leg:"s", route:"r", terms, side:-1, quantity: money(1), isolatedMargin: money(3000)}, 60000);
acc.holdSpot({leg:"sp", route:"r", asset:"BTC", side:1, quantity: money(1)}, 60000);
const marks = new Float64Array([61000]);
const snap = { indexPrice: () => marks[0], markPrice: () => marks[0] * 1.0003 };
for (let rep=0; rep<3; rep++){
let t0 = process.hrtime.bigint(); let s=0;
for (let i=0;i<1e6;i++) { marks[0] = 60000 + (i & 1023); s+=marginSurplus(acc, snap); }
console.log("surplus ns", Number(process.hrtime.bigint()-t0)/1e6, s>0);
t0 = process.hrtime.bigint(); s=0;
for (let i=0;i<1e6;i++) { s+=maintenanceMargin(terms, 1, 60000 + (i & 1023), 60000).maintenanceMargin; }
console.log("mm ns", Number(process.hrtime.bigint()-t0)/1e6, s>0);
t0 = process.hrtime.bigint(); s=0;
for (let i=0;i<1e6;i++) { s+=acc.walletBalance(); }
console.log("wallet ns", Number(process.hrtime.bigint()-t0)/1e6, s>0);
}
const N=2000; let t0 = process.hrtime.bigint();
for (let p=0;p<N;p++){
  const ledger = new Ledger();
  const acc = new Account("main", venue, "cross", ledger);
  acc.deposit(0, money(10000));
  acc.openPerpetual(0, {leg:"s", route:"r", terms, side:-1, quantity: money(1)}, 60000);
  for (let k=0;k<90;k++){ marks[0]=60000+k*1.37; acc.settleFunding(k, snap, () => 0.0001234567); }
}
console.log("per funding event us", Number(process.hrtime.bigint()-t0)/1e3/(N*90));
