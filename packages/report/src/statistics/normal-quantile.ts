// Wichura (1988), Algorithm AS 241 "The percentage points of the normal distribution", Applied Statistics 37(3),
// 477-484: PPND16, rational approximations accurate to about 1e-16 relative, the algorithm behind R's qnorm.
// Coefficients are listed from the constant term up and evaluated by Horner's rule. The published ones have 20
// digits; each is written here as the shortest decimal that reads back as the same double, which is all a double holds.
const central = {
  numerator: [
    3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946,
    45921.95393154987, 67265.7709270087, 33430.57558358813, 2509.0809287301227,
  ],
  denominator: [
    1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597,
    39307.89580009271, 28729.085735721943, 5226.495278852854,
  ],
} as const;
const intermediate = {
  numerator: [
    1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045,
    1.2704582524523684, 0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
  ],
  denominator: [
    1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
    0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
  ],
} as const;
const farTail = {
  numerator: [
    6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
    0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
  ],
  denominator: [
    1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
    0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
  ],
} as const;

function rational(coefficients: { readonly numerator: readonly number[]; readonly denominator: readonly number[] }, r: number): number {
  let numerator = 0;
  let denominator = 0;
  for (let i = coefficients.numerator.length - 1; i >= 0; i--) numerator = numerator * r + (coefficients.numerator[i] ?? 0);
  for (let i = coefficients.denominator.length - 1; i >= 0; i--) denominator = denominator * r + (coefficients.denominator[i] ?? 0);
  return numerator / denominator;
}

/**
 * Standard normal quantile Φ⁻¹(p) for 0 < p < 1 (AS 241, above), used to turn a confidence level into the z of a
 * Wilson interval: z = Φ⁻¹(1 − (1 − confidence)/2). Tested against R's qnorm in normal-quantile.test.ts.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * rational(central, 0.180625 - q * q);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const magnitude = r <= 5 ? rational(intermediate, r - 1.6) : rational(farTail, r - 5);
  return q < 0 ? -magnitude : magnitude;
}
