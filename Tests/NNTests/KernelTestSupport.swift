@testable import NN

/// Deterministic test data for the kernel tests (SplitMix64).
struct KernelRNG {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [-1, 1).
  mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
  mutating func floats(_ n: Int) -> [Float] { (0..<n).map { _ in float() } }
}

/// One GEMM problem with its operands laid out with the given leading-dimension padding.
struct GEMMCase: CustomStringConvertible {
  var transA: Bool, transB: Bool, m: Int, n: Int, k: Int
  var alpha: Float = 1, beta: Float = 0
  var pad = 0
  var description: String {
    "\(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k) a\(alpha) b\(beta) pad\(pad)"
  }
  var lda: Int { (transA ? m : k) + pad }
  var ldb: Int { (transB ? k : n) + pad }
  var ldc: Int { n + pad }
  var aCount: Int { (transA ? k : m) * lda }
  var bCount: Int { (transB ? n : k) * ldb }
  var cCount: Int { m * ldc }

  /// Runs `kernel` on fresh operands from `seed`; returns C (including padding lanes).
  func run(
    seed: UInt64,
    _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) -> [Float] {
    var rng = KernelRNG(seed)
    let a = rng.floats(aCount), b = rng.floats(bCount)
    var c = rng.floats(cCount)
    if beta == 0 {
      // C must not be read when beta == 0: poison the valid region.
      for i in 0..<m { for j in 0..<n { c[i * ldc + j] = .nan } }
    }
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in kernel(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
      }
    }
    return c
  }

  func naive(seed: UInt64) -> [Float] {
    run(seed: seed) { a, b, c in
      GEMM.naive(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
        beta: beta, c: c, ldc: ldc)
    }
  }

  func fast(seed: UInt64, threads: Int) -> [Float] {
    run(seed: seed) { a, b, c in
      GEMM.sgemm(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
        beta: beta, c: c, ldc: ldc, threads: threads)
    }
  }

  /// Largest |fast − naive| divided by the rounding bound `(k + 2)·ε·(|alpha|·k + |beta|)` (entries
  /// are in [-1, 1)); ≤ 1 means within tolerance. Padding lanes of C must be untouched.
  func errorRatio(seed: UInt64, threads: Int) -> Double {
    let x = fast(seed: seed, threads: threads), y = naive(seed: seed)
    let bound = Double(k + 2) * Double(Float.ulpOfOne) * (Double(abs(alpha)) * Double(k) + Double(abs(beta)))
    var worst = 0.0
    for i in 0..<m {
      for j in 0..<ldc {
        let u = x[i * ldc + j], v = y[i * ldc + j]
        if j >= n {
          if u.bitPattern != v.bitPattern { return .infinity }
          continue
        }
        if !u.isFinite || !v.isFinite { return .infinity }
        worst = max(worst, Double(abs(u - v)) / max(bound, 1e-30))
      }
    }
    return worst
  }
}
