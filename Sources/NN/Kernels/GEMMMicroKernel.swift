/// The register-blocked 6×16 SGEMM micro-kernel (AVX2 + FMA: 12 `ymm` accumulators, 2 `ymm` for a
/// row of B, 1 for a broadcast element of A).
///
/// Operands, for `kc` steps `p`:
/// - `a`: op(A)[i0 + r, p0 + p] at `a[r * aRow + p * aStep]` — a packed micro-panel
///   (`aRow = 1, aStep = 6`, rows past the edge are 0) or a row-major A read in place
///   (`aRow = lda, aStep = 1`);
/// - `b`: 16 consecutive values of row `p` of op(B) at `b + p * bStride` (a packed panel has
///   `bStride == 16`; a row-major B is read in place with `bStride == ldb`).
///
/// Every output element is `Σ_p a·b` accumulated in `p` order with fused multiply-adds, then
/// stored as `alpha·acc` (`beta == 0`, C not read), `C + alpha·acc` (`beta == 1`) or
/// `alpha·acc + beta·C`. The edge variant performs exactly the same arithmetic, so a result never
/// depends on where the tile boundaries fall (and hence not on the thread count).
enum MicroKernel {
  static let mr = 6
  static let nr = 16

  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }

  /// Updates a row of 16 outputs at `c` from the two accumulators of that row.
  @inline(__always)
  static func update(
    _ c: UnsafeMutablePointer<Float>, _ x0: SIMD8<Float>, _ x1: SIMD8<Float>, alpha: Float, beta: Float
  ) {
    let v0 = x0 * alpha, v1 = x1 * alpha
    if beta == 0 {
      store8(v0, c); store8(v1, c + 8)
    } else if beta == 1 {
      store8(load8(c) + v0, c); store8(load8(c + 8) + v1, c + 8)
    } else {
      store8(v0 + load8(c) * beta, c); store8(v1 + load8(c + 8) * beta, c + 8)
    }
  }

  /// Full 6×16 tile at `c` (leading dimension `ldc`).
  @inline(never)
  static func full(
    kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int, b: UnsafePointer<Float>, bStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    // Rows 0–2 from `pa`, rows 3–5 from `pd` (= pa + 3·aRow): x86 addressing covers +aRow, +2·aRow.
    var pa = a, pd = a + 3 * aRow, pb = b
    let r1 = aRow, r2 = 2 * aRow
    for _ in 0..<kc {
      let b0 = load8(pb), b1 = load8(pb + 8)
      var av = SIMD8<Float>(repeating: pa[0])
      c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[r1])
      c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[r2])
      c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
      av = SIMD8<Float>(repeating: pd[0])
      c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
      av = SIMD8<Float>(repeating: pd[r1])
      c40 = c40.addingProduct(av, b0); c41 = c41.addingProduct(av, b1)
      av = SIMD8<Float>(repeating: pd[r2])
      c50 = c50.addingProduct(av, b0); c51 = c51.addingProduct(av, b1)
      pa += aStep; pd += aStep; pb += bStride
    }
    update(c, c00, c01, alpha: alpha, beta: beta)
    update(c + ldc, c10, c11, alpha: alpha, beta: beta)
    update(c + 2 * ldc, c20, c21, alpha: alpha, beta: beta)
    update(c + 3 * ldc, c30, c31, alpha: alpha, beta: beta)
    update(c + 4 * ldc, c40, c41, alpha: alpha, beta: beta)
    update(c + 5 * ldc, c50, c51, alpha: alpha, beta: beta)
  }

  /// A ragged tile: only the top-left `rows × cols` (≤ 6 × 16) outputs are read and written.
  /// Computes the full tile into `tile` (96 floats of scratch), then applies the same update.
  static func edge(
    kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int, b: UnsafePointer<Float>, bStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float,
    rows: Int, cols: Int, tile: UnsafeMutablePointer<Float>
  ) {
    full(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStride: bStride, c: tile, ldc: nr, alpha: 1, beta: 0)
    for r in 0..<rows {
      let t = tile + r * nr, o = c + r * ldc
      for j in 0..<cols {
        let v = t[j] * alpha
        if beta == 0 {
          o[j] = v
        } else if beta == 1 {
          o[j] = o[j] + v
        } else {
          o[j] = v + o[j] * beta
        }
      }
    }
  }
}
