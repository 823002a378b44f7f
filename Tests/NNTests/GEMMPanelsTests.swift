import Testing
@testable import NN

/// `GEMMBlocked.sweepPanels` (one thread's column panels of a product with a packed B) gives, piece
/// by piece, exactly the bits of one `GEMM.sgemm(…, packedB:)` over all columns.
@Suite struct GEMMPanelsTests {
  @Test(arguments: [(64, 768, 256), (7, 40, 33), (150, 48, 600), (1, 17, 5), (300, 100, 257)])
  func piecesEqualWholeProduct(m: Int, n: Int, k: Int) {
    var rng = KernelRNG(UInt64(m * 1000 + n + k))
    let lda = k + 3, ldc = n + 5
    let a = rng.floats(m * lda), b = rng.floats(k * n), c0 = rng.floats(m * ldc)
    let packed = PackedMatrix(k: k, n: n)
    b.withUnsafeBufferPointer { packed.pack(transB: false, b: $0.baseAddress!, ldb: n, threads: 1) }
    for beta: Float in [0, 1, 0.5] {
      var whole = c0, pieces = c0
      a.withUnsafeBufferPointer { pa in
        whole.withUnsafeMutableBufferPointer { pc in
          GEMM.sgemm(transA: false, m: m, alpha: 0.75, a: pa.baseAddress!, lda: lda, packedB: packed, beta: beta,
                     c: pc.baseAddress!, ldc: ldc, threads: 2)
        }
        pieces.withUnsafeMutableBufferPointer { pc in
          let panels = (n + 15) / 16
          var jp = 0, width = 1
          while jp < panels {  // uneven pieces: 1, 2, 3, ... panels
            let end = min(panels, jp + width)
            GEMMBlocked.sweepPanels(m: m, a: pa.baseAddress!, lda: lda, packed: packed, jp0: jp, jp1: end,
                                    alpha: 0.75, beta: beta, c: pc.baseAddress!, ldc: ldc)
            jp = end
            width += 1
          }
        }
      }
      #expect(whole.map(\.bitPattern) == pieces.map(\.bitPattern), "m \(m) n \(n) k \(k) beta \(beta)")
    }
  }
}
