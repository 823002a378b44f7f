import Testing
@testable import NN

@Suite struct GEMMTests {
  static let transposes: [(Bool, Bool)] = [(false, false), (false, true), (true, false), (true, true)]

  /// Odd shapes around the 6×16 tile, the 144-row block and the 256-deep K block.
  static let shapes: [(Int, Int, Int)] = [
    (2, 2, 1), (3, 7, 17), (7, 3, 33), (17, 33, 7), (33, 17, 65), (65, 129, 3), (129, 65, 17),
    (6, 16, 1), (12, 32, 256), (13, 33, 257), (150, 20, 9), (5, 200, 300), (31, 47, 520),
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
