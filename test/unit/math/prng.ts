/** A small seeded PRNG (xorshift128+ on bigints folded to 53 bits) so that sampled test inputs are reproducible. */
export class Prng {
  private s0: bigint;
  private s1: bigint;
  constructor(seed: number) {
    this.s0 = BigInt(seed) * 0x9e3779b97f4a7c15n + 0x243f6a8885a308d3n & 0xffffffffffffffffn;
    this.s1 = (this.s0 ^ 0x13198a2e03707344n) * 0xbf58476d1ce4e5b9n & 0xffffffffffffffffn;
    for (let i = 0; i < 8; i++) this.next64();
  }
  next64(): bigint {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= (x << 23n) & 0xffffffffffffffffn;
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (this.s1 + y) & 0xffffffffffffffffn;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return Number(this.next64() >> 11n) / 9007199254740992;
  }
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
}
