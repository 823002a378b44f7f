/// Packing of GEMM operands into the micro-kernel's panel layouts (see `MicroKernel`).
///
/// All four transpose combinations are handled here, so the kernel only ever sees
/// `op(A)` and `op(B)` in one layout. Rows/columns past the matrix edge are zero-filled.
enum GEMMPacking {
  /// Packs `op(A)[i0 ..< i0+rows, p0 ..< p0+kc]` as `ceil(rows/6)` consecutive micro-panels of
  /// `6·kc` floats each: `dst[panel·6kc + p·6 + r] = op(A)[i0 + panel·6 + r, p0 + p]`.
  static func packA(
    transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int, p0: Int, kc: Int,
    dst: UnsafeMutablePointer<Float>
  ) {
    let mr = MicroKernel.mr
    var panel = 0
    var i = 0
    while i < rows {
      let h = min(mr, rows - i)
      let out = dst + panel * mr * kc
      if transA {
        // op(A)[i, p] = a[p * lda + i]: each step p reads `h` contiguous values.
        var src = a + p0 * lda + i0 + i
        if h == mr {
          for p in 0..<kc {
            let o = out + p * mr
            o[0] = src[0]; o[1] = src[1]; o[2] = src[2]
            o[3] = src[3]; o[4] = src[4]; o[5] = src[5]
            src += lda
          }
        } else {
          for p in 0..<kc {
            let o = out + p * mr
            for r in 0..<mr { o[r] = r < h ? src[r] : 0 }
            src += lda
          }
        }
      } else {
        // op(A)[i, p] = a[i * lda + p]: rows are contiguous in p.
        for r in 0..<mr {
          if r < h {
            let src = a + (i0 + i + r) * lda + p0
            for p in 0..<kc { out[p * mr + r] = src[p] }
          } else {
            for p in 0..<kc { out[p * mr + r] = 0 }
          }
        }
      }
      i += mr
      panel += 1
    }
  }

  /// Packs the 16-column panel `op(B)[p0 ..< p0+kc, j0 ..< j0+cols]` (`cols ≤ 16`) as
  /// `dst[p·16 + j] = op(B)[p0 + p, j0 + j]`, zero-filling columns `cols ..< 16`.
  static func packBPanel(
    transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, kc: Int, j0: Int, cols: Int,
    dst: UnsafeMutablePointer<Float>
  ) {
    let nr = MicroKernel.nr
    if !transB {
      // op(B)[p, j] = b[p * ldb + j]: rows contiguous in j.
      var src = b + p0 * ldb + j0
      if cols == nr {
        for p in 0..<kc {
          MicroKernel.store8(MicroKernel.load8(src), dst + p * nr)
          MicroKernel.store8(MicroKernel.load8(src + 8), dst + p * nr + 8)
          src += ldb
        }
      } else {
        for p in 0..<kc {
          let o = dst + p * nr
          for j in 0..<nr { o[j] = j < cols ? src[j] : 0 }
          src += ldb
        }
      }
    } else {
      // op(B)[p, j] = b[j * ldb + p]: each column j of op(B) is a contiguous row of b.
      for j in 0..<nr {
        if j < cols {
          let src = b + (j0 + j) * ldb + p0
          for p in 0..<kc { dst[p * nr + j] = src[p] }
        } else {
          for p in 0..<kc { dst[p * nr + j] = 0 }
        }
      }
    }
  }
}
