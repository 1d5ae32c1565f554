// Determinism contract: a simulation result depends only on (scenario, seed, version), never on how the paths
// were spread over workers. So every path owns its own generator: path i of a run seeded `seed` draws from
// Baagøe's alea (a multiply-with-carry, period ~2^116, reported to pass BigCrush) keyed by the string
// `mstress:${seed}:${i}`. There is no per-worker or per-chunk stream, so worker count, chunk size and shard split
// cannot change a single draw. The key is unambiguous: the path index is the digits after the last colon, so
// no two (seed, index) pairs share a generator. Changing the key format, the generator or the uniform mapping
// below changes every result and is a version bump. The tests pin the first draws of one stream for that reason.
//
// Uniforms must lie in the open interval (0, 1) because callers take logs and inverse CDFs of them. We use
// `double()`, which spends two alea outputs to fill all 53 mantissa bits and returns [0, 1 - 2^-53], and map the
// single value 0 (probability 2^-53) to 2^-54. Measured with a throwaway loop on Node 20 (2-core Xeon, 2e7 draws,
// median of 5, seedrandom's alea): `double()` ~21 ns/draw, the 32-bit `alea()` ~11 ns/draw. We pay the ~10 ns because with 32 bits
// the uniform lattice caps a normal shock at |z| = 6.23 and a zero-map would put an -8.3 sigma shock at
// probability 2^-32 (about 2 per 1e10 draws, a visible artefact in a tail-risk tool); with 53 bits the lattice
// reaches |z| = 8.2 on both sides and the remapped zero is as rare as any other grid point.
// Tested in path-stream.test.ts: reproducibility, pinned first draws, openness and moments over 1e6 draws, and
// independence across neighbouring path indices.
export interface UniformStream {
  next(): number;
}

const SMALLEST_UNIFORM = 2 ** -54;
const twoToMinus32 = 2.3283064365386963e-10;
const twoToMinus53 = 1.1102230246251565e-16;

/** Uniforms drawn ahead in one batch: the generator hands them out in the same order, one array read each. */
const batch = 256;

/**
 * Baagøe's Mash hash (2010), the seeding half of alea: folds a string's UTF-16 code units into a 32-bit state
 * `n` carried from call to call, and returns it scaled to [0, 1).
 */
class Mash {
  n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    this.n = n;
    return (n >>> 0) * twoToMinus32;
  }
}

/**
 * Baagøe's alea (a lagged multiply-with-carry: s_{k+3} = frac(2091639 s_k + c), the carry c the integer part),
 * written here as seedrandom 3.0.5's `alea(key).double()` computes it, float for float, so every stored result
 * stays as it was (path-stream.test.ts holds the two side by side). Why our own: one object reseeded per path
 * instead of three closures, a Float64Array and a generator object allocated per path, and the state kept in
 * locals while a batch is drawn instead of read and written through properties per output: the refill was 15 %
 * of the kernel's time, and the per-path set-up another few per cent.
 */
export class AleaStream implements UniformStream {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;
  private readonly buffer: Float64Array;
  /** Uniforms drawn per refill: the default batch, or fewer for a stream that is reseeded after a few draws. */
  private readonly size: number;
  private at: number;

  constructor(size: number = batch) {
    this.size = size;
    this.buffer = new Float64Array(size);
    this.at = size;
  }

  /** Restarts the stream as alea keyed `key`, as a fresh seedrandom.alea(key) would start. */
  reseed(key: string): this {
    const mash = new Mash();
    let s0 = mash.hash(" ");
    let s1 = mash.hash(" ");
    let s2 = mash.hash(" ");
    s0 -= mash.hash(key);
    if (s0 < 0) s0 += 1;
    s1 -= mash.hash(key);
    if (s1 < 0) s1 += 1;
    s2 -= mash.hash(key);
    if (s2 < 0) s2 += 1;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.c = 1;
    this.at = this.size;
    return this;
  }

  next(): number {
    if (this.at === this.size) this.refill();
    return this.buffer[this.at++] ?? SMALLEST_UNIFORM;
  }

  // Drawing ahead changes no draw (the stream is consumed in the same order; a path's unused draws are dropped
  // with its stream), and `next` becomes a read the path generator can inline: no call per uniform, and no boxed
  // double returned from one.
  private refill(): void {
    let { s0, s1, s2, c } = this;
    const buffer = this.buffer;
    const size = this.size;
    for (let i = 0; i < size; i++) {
      // double(): a first output for the high bits, a second's top 21 bits below them (53 bits in all).
      let t = 2091639 * s0 + c * twoToMinus32;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const high = s2;
      t = 2091639 * s0 + c * twoToMinus32;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const u = high + ((s2 * 0x200000) | 0) * twoToMinus53;
      buffer[i] = u === 0 ? SMALLEST_UNIFORM : u;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.c = c;
    this.at = 0;
  }
}

/** The market key of path `pathIndex` (see the contract above). */
export function pathKey(seed: string, pathIndex: number): string {
  if (!Number.isSafeInteger(pathIndex) || pathIndex < 0) {
    throw new RangeError(`pathStream: pathIndex must be a non-negative safe integer, got ${String(pathIndex)}`);
  }
  return `mstress:${seed}:${pathIndex}`;
}

/** The ADL key of path `pathIndex` (see `adlStream`). */
export function adlKey(seed: string, pathIndex: number): string {
  if (!Number.isSafeInteger(pathIndex) || pathIndex < 0) {
    throw new RangeError(`adlStream: pathIndex must be a non-negative safe integer, got ${String(pathIndex)}`);
  }
  return `mstress:${seed}:adl:${pathIndex}`;
}

/**
 * The key of the draws that refine step `step` of path `pathIndex` (kernel/step-refinement.ts): one stream per
 * step, so what a step's refinement draws does not depend on which evaluation asked for it first, or on which
 * other steps were refined.
 */
export function refinementKey(seed: string, pathIndex: number, step: number): string {
  if (!Number.isSafeInteger(pathIndex) || pathIndex < 0 || !Number.isSafeInteger(step) || step < 1) {
    throw new RangeError(`refinementKey: expected a non-negative path index and a step from 1, got ${String(pathIndex)} and ${String(step)}`);
  }
  return `mstress:${seed}:refine:${pathIndex}:${step}`;
}

export function pathStream(seed: string, pathIndex: number): UniformStream {
  return new AleaStream().reseed(pathKey(seed, pathIndex));
}

/**
 * A second stream of path `pathIndex` for stochastic auto-deleveraging, apart from the market's so that turning
 * ADL on leaves every price path as it was. Its key `mstress:<seed>:adl:<i>` cannot be another path's market key:
 * a seed holds no colon.
 */
export function adlStream(seed: string, pathIndex: number): UniformStream {
  return new AleaStream().reseed(adlKey(seed, pathIndex));
}
