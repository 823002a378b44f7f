import Foundation

/// A small deterministic generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random decision in NN (initialisation, batches, dropout, sampling) goes through this type or
/// `hashUniform`, never through the system generator, so results depend only on the seed. The
/// derived draws (`uniform`, `normal`, `int(below:)`) are defined here, not by the standard library,
/// so they stay the same across Swift versions.
public struct SeededRNG: RandomNumberGenerator, Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  public init(seed: UInt64) {
    var x = seed
    s0 = splitMix64(&x); s1 = splitMix64(&x); s2 = splitMix64(&x); s3 = splitMix64(&x)
  }

  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// Uniform in [0, 1) with 24 random bits.
  public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniformDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

  /// Uniform in [lo, hi).
  public mutating func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * uniform() }

  /// Standard normal (Box–Muller in Double).
  public mutating func normal() -> Float {
    let u1 = 1.0 - uniformDouble()  // (0, 1]
    let u2 = uniformDouble()
    return Float((-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2))
  }

  /// Uniform integer in 0..<n (n > 0), unbiased (rejection).
  public mutating func int(below n: Int) -> Int {
    precondition(n > 0)
    let bound = UInt64(n)
    let limit = UInt64.max - UInt64.max % bound
    while true {
      let x = next()
      if x < limit { return Int(x % bound) }
    }
  }
}

@inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

@inline(__always) func splitMix64(_ state: inout UInt64) -> UInt64 {
  state &+= 0x9E37_79B9_7F4A_7C15
  var z = state
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

/// A counter-based uniform in [0, 1): a pure function of (seed, index). Used for dropout masks so
/// they can be generated in parallel and recomputed in backward, independent of thread count.
@inline(__always) public func hashUniform(seed: UInt64, index: Int) -> Float {
  var s = seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
  return Float(splitMix64(&s) >> 40) * (1.0 / 16_777_216.0)
}
