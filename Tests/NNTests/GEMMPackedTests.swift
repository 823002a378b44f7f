import Testing
@testable import NN

@Suite struct GEMMPackedTests {
  /// Runs `sgemm` unpacked and with a `PackedMatrix`; returns both C's.
  static func both(_ c: GEMMCase, seed: UInt64, threads: Int) -> ([Float], [Float]) {
    let plain = c.fast(seed: seed, threads: threads)
    var rng = KernelRNG(seed)
    let b = { () -> [Float] in _ = rng.floats(c.aCount); return rng.floats(c.bCount) }()
    let packed = PackedMatrix(k: c.k, n: c.n)
    b.withUnsafeBufferPointer {
      packed.pack(transB: c.transB, b: $0.baseAddress!, ldb: c.ldb, threads: threads)
    }
    let viaPacked = c.run(seed: seed) { a, _, out in
      GEMM.sgemm(
        transA: c.transA, m: c.m, alpha: c.alpha, a: a, lda: c.lda, packedB: packed, beta: c.beta,
        c: out, ldc: c.ldc, threads: threads)
    }
    return (plain, viaPacked)
  }

  @Test func packedEqualsUnpackedBitForBit() {
    for (ta, tb) in GEMMTests.transposes {
      for (m, n, k) in [(2, 3, 1), (7, 17, 33), (64, 200, 300), (13, 40, 600), (300, 37, 270)] {
        for threads in [1, 2] {
          let c = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.75, beta: 0.5, pad: 2)
          let (x, y) = Self.both(c, seed: 9, threads: threads)
          #expect(x.map(\.bitPattern) == y.map(\.bitPattern), "\(c) threads \(threads)")
        }
      }
    }
  }

  /// m = 1 on a packed B equals row 0 of the same product computed with m = 2.
  @Test func packedRowMatchesBlockedRow() {
    for (n, k) in [(1, 1), (17, 9), (200, 256), (40, 600)] {
      for beta: Float in [0, 1, -0.5] {
        var rng = KernelRNG(UInt64(n * k))
        let a = rng.floats(2 * k), b = rng.floats(k * n), c0 = rng.floats(2 * n)
        let packed = PackedMatrix(k: k, n: n)
        b.withUnsafeBufferPointer { packed.pack(transB: false, b: $0.baseAddress!, ldb: n, threads: 1) }
        var two = c0, one = Array(c0[0..<n])
        a.withUnsafeBufferPointer { pa in
          two.withUnsafeMutableBufferPointer { pc in
            GEMM.sgemm(
              transA: false, m: 2, alpha: 1.5, a: pa.baseAddress!, lda: k, packedB: packed, beta: beta,
              c: pc.baseAddress!, ldc: n, threads: 2)
          }
          one.withUnsafeMutableBufferPointer { pc in
            GEMM.sgemm(
              transA: false, m: 1, alpha: 1.5, a: pa.baseAddress!, lda: k, packedB: packed, beta: beta,
              c: pc.baseAddress!, ldc: n, threads: 2)
          }
        }
        #expect(one.map(\.bitPattern) == two[0..<n].map(\.bitPattern), "n \(n) k \(k) beta \(beta)")
      }
    }
  }
}
