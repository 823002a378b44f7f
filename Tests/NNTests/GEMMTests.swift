import Testing
@testable import NN

@Suite struct GEMMTests {
  static let transposes: [(Bool, Bool)] = [(false, false), (false, true), (true, false), (true, true)]

  /// Odd shapes around the 6×16 tile, the 144-row block and the 256-deep K block; m > 288 takes
  /// the two-phase (shared packed B) path, smaller m the single-region path.
  static let shapes: [(Int, Int, Int)] = [
    (2, 2, 1), (3, 7, 17), (7, 3, 33), (17, 33, 7), (33, 17, 65), (65, 129, 3), (129, 65, 17),
    (6, 16, 1), (12, 32, 256), (13, 33, 257), (150, 20, 9), (5, 200, 300), (31, 47, 520),
    (300, 40, 270), (451, 17, 5),
  ]

  @Test(arguments: 0..<4)
  func matchesNaiveOnOddShapes(transposeIndex: Int) {
    let (ta, tb) = Self.transposes[transposeIndex]
    for (m, n, k) in Self.shapes {
      let c = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k)
      let r = c.errorRatio(seed: UInt64(m * 1000 + n * 10 + k), threads: 2)
      #expect(r <= 1, "\(c): error ratio \(r)")
    }
  }

  @Test(arguments: [(Float(1), Float(0)), (0.5, 1), (-1.5, 0.25), (2, -1), (1, 1)])
  func alphaBetaAndLeadingDimensions(alpha: Float, beta: Float) {
    for (ta, tb) in Self.transposes {
      for (m, n, k) in [(7, 19, 11), (20, 35, 300), (1, 37, 23), (37, 1, 23), (1, 1, 9)] {
        for pad in [0, 3] {
          let c = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, beta: beta, pad: pad)
          let r = c.errorRatio(seed: 7, threads: 2)
          #expect(r <= 1, "\(c): error ratio \(r)")
        }
      }
    }
  }

  @Test func vectorShapes() {
    // m = 1 and n = 1 (GEMV paths), long and short, all transposes, strided operands.
    for (ta, tb) in Self.transposes {
      for (m, n, k) in [(1, 1, 1), (1, 65, 129), (1, 300, 7), (129, 1, 65), (300, 1, 17), (1, 71, 600)] {
        for pad in [0, 5] {
          let c = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1.25, beta: 0.5, pad: pad)
          let r = c.errorRatio(seed: 11, threads: 2)
          #expect(r <= 1, "\(c): error ratio \(r)")
        }
      }
    }
  }

  @Test func zeroAlphaOrEmptyK() {
    for k in [0, 5] {
      let c = GEMMCase(transA: false, transB: false, m: 3, n: 4, k: k, alpha: k == 0 ? 1 : 0, beta: 0.5)
      #expect(c.fast(seed: 3, threads: 1) == c.naive(seed: 3), "\(c)")
    }
  }

  /// The large-m schedule packs B in groups of K blocks; the grouping must not change any bit.
  @Test func kBlockGroupingDoesNotChangeResults() {
    let c = GEMMCase(transA: true, transB: false, m: 310, n: 50, k: 1100, alpha: 1, beta: 0.5)
    let grouped = c.fast(seed: 21, threads: 2)
    let saved = GEMMBlocked.groupFloats
    GEMMBlocked.groupFloats = 1  // one K block per group
    let single = c.fast(seed: 21, threads: 2)
    GEMMBlocked.groupFloats = 2 * 256 * 64  // two K blocks per group (n = 50: 4 panels)
    let pairs = c.fast(seed: 21, threads: 2)
    GEMMBlocked.groupFloats = saved
    #expect(grouped.map(\.bitPattern) == single.map(\.bitPattern))
    #expect(grouped.map(\.bitPattern) == pairs.map(\.bitPattern))
    #expect(c.errorRatio(seed: 21, threads: 2) <= 1)
  }

  /// Identical bits for 1 and 2 threads, on shapes that exercise every way the work is split:
  /// many row blocks, column splitting (small m), several K blocks, ragged edges, and GEMV.
  @Test func bitIdenticalAcrossThreadCounts() {
    let cases: [GEMMCase] = [
      GEMMCase(transA: false, transB: true, m: 300, n: 100, k: 600, alpha: 1, beta: 0),
      GEMMCase(transA: true, transB: false, m: 64, n: 200, k: 70, alpha: 0.5, beta: 1),
      GEMMCase(transA: false, transB: false, m: 8, n: 768, k: 256, alpha: 1, beta: 0),
      GEMMCase(transA: true, transB: true, m: 150, n: 45, k: 33, alpha: 1, beta: 0.5),
      GEMMCase(transA: false, transB: false, m: 1, n: 3000, k: 100, alpha: 1, beta: 0),
      GEMMCase(transA: false, transB: true, m: 1, n: 3000, k: 100, alpha: 1, beta: 0),
      GEMMCase(transA: true, transB: false, m: 3000, n: 1, k: 100, alpha: 1, beta: 0),
    ]
    for c in cases {
      let one = c.fast(seed: 5, threads: 1), two = c.fast(seed: 5, threads: 2)
      #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(c)")
    }
  }
}


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
