/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) so generated gridworlds are the same on
 * every machine and Node version; Math.random cannot be seeded.
 */
import { checkInt, fail } from '../../backend/validate';

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Reproducible uniform random numbers from an integer seed (xoshiro128**). */
export class SeededRandom {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed An integer in [0, 2^53]; equal seeds give equal sequences. */
  constructor(seed: number) {
    checkInt('SeededRandom', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
    // splitmix32 over both 32-bit halves spreads nearby seeds (0, 1, 2...) over the whole state.
    let a = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x9e3779b1);
    const next = (): number => {
      a = (a + 0x9e3779b9) | 0;
      let z = a;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state xoshiro cannot leave
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32 (the bias of the multiply is below 2^-32 * n). */
  int(n: number): number {
    checkInt('SeededRandom.int', 'n', n, 1, TWO_POW_32);
    return Math.floor(this.next() * n);
  }

  /** Shuffles `values` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    // Only what can be written in place: a string's characters cannot.
    if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
      fail('SeededRandom.shuffle', 'an array or a TypedArray', 'values', values);
    }
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const v = values[i];
      values[i] = values[j];
      values[j] = v;
    }
    return values;
  }
}
