// Inverse standard normal CDF by Wichura's AS 241, PPND16 (M. J. Wichura, "The percentage points of the normal
// distribution", Applied Statistics 37(3), 1988, 477-484): three rational approximations of degree 7 in
// |p - 0.5| <= 0.425, in r = sqrt(-log(min(p, 1 - p))) <= 5 and beyond, relative accuracy about 1e-16.
// Inversion rather than Box-Muller (which makes normals in pairs) or a ziggurat (which rejects) because it spends
// exactly one uniform per normal: a normal-driven step consumes a fixed, known number of draws, and stratified or
// antithetic uniforms map straight through to normals.
// The constants are the paper's 20-digit values rounded to the nearest double, written in the shortest form that
// round-trips (lint's no-loss-of-precision rejects the longer literals; they denote the same doubles) and in the
// paper's powers of ten, so a transcription can be checked digit by digit against the first 16 or 17 digits.
// In core because both the path generator (sim) and the summary's confidence levels (report) need it.
// Tested in standard-normal-quantile.test.ts against quantiles computed to 25 digits with mpmath and for symmetry;
// the first two moments of 1e6 stream draws in sim's rng/normal-draws.test.ts.

const SPLIT1 = 0.425;
const SPLIT2 = 5;
const CONST1 = 0.180625;
const CONST2 = 1.6;

const A0 = 3.3871328727963665;
const A1 = 1.3314166789178438e2;
const A2 = 1.9715909503065513e3;
const A3 = 1.373169376550946e4;
const A4 = 4.592195393154987e4;
const A5 = 6.72657709270087e4;
const A6 = 3.343057558358813e4;
const A7 = 2.5090809287301227e3;
const B1 = 4.231333070160091e1;
const B2 = 6.871870074920579e2;
const B3 = 5.394196021424751e3;
const B4 = 2.1213794301586597e4;
const B5 = 3.930789580009271e4;
const B6 = 2.8729085735721943e4;
const B7 = 5.226495278852854e3;

const C0 = 1.4234371107496835;
const C1 = 4.630337846156546;
const C2 = 5.769497221460691;
const C3 = 3.6478483247632045;
const C4 = 1.2704582524523684;
const C5 = 2.417807251774506e-1;
const C6 = 2.2723844989269184e-2;
const C7 = 7.745450142783414e-4;
const D1 = 2.053191626637759;
const D2 = 1.6763848301838038;
const D3 = 6.897673349851e-1;
const D4 = 1.4810397642748008e-1;
const D5 = 1.5198666563616457e-2;
const D6 = 5.475938084995345e-4;
const D7 = 1.0507500716444169e-9;

const E0 = 6.657904643501103;
const E1 = 5.463784911164114;
const E2 = 1.7848265399172913;
const E3 = 2.9656057182850487e-1;
const E4 = 2.6532189526576124e-2;
const E5 = 1.2426609473880784e-3;
const E6 = 2.7115555687434876e-5;
const E7 = 2.0103343992922881e-7;
const F1 = 5.99832206555888e-1;
const F2 = 1.369298809227358e-1;
const F3 = 1.4875361290850615e-2;
const F4 = 7.868691311456133e-4;
const F5 = 1.8463183175100548e-5;
const F6 = 1.421511758316446e-7;
const F7 = 2.0442631033899397e-15;

/**
 * The central region, where 85 % of draws fall, is all this function does itself: it stays small enough for V8 to
 * inline into the path generator, where a call returning a double would box it (the quantile was the generator's
 * largest allocation, ~36 KB a path). Any u outside it, including NaN and u outside (0, 1), goes to `tailQuantile`,
 * which checks it.
 */
export function standardNormalQuantile(u: number): number {
  const q = u - 0.5;
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q;
    return (
      (q * (((((((A7 * r + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0)) /
      (((((((B7 * r + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1)
    );
  }
  return tailQuantile(u, q);
}

/** |u - 0.5| > 0.425: the two tail approximations of PPND16, after checking u. */
function tailQuantile(u: number, q: number): number {
  // The negated test also rejects NaN; PPND16 itself would return 0 with a fault flag, a silent wrong draw.
  if (!(u > 0 && u < 1)) throw new RangeError(`standardNormalQuantile: u must lie in the open interval (0, 1), got ${String(u)}`);
  let r = Math.sqrt(-Math.log(q < 0 ? u : 1 - u));
  let z: number;
  if (r <= SPLIT2) {
    r -= CONST2;
    z =
      (((((((C7 * r + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + C1) * r + C0) /
      (((((((D7 * r + D6) * r + D5) * r + D4) * r + D3) * r + D2) * r + D1) * r + 1);
  } else {
    r -= SPLIT2;
    z =
      (((((((E7 * r + E6) * r + E5) * r + E4) * r + E3) * r + E2) * r + E1) * r + E0) /
      (((((((F7 * r + F6) * r + F5) * r + F4) * r + F3) * r + F2) * r + F1) * r + 1);
  }
  return q < 0 ? -z : z;
}
