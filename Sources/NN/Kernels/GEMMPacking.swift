/// Packing of GEMM operands into the micro-kernel's panel layouts (see `MicroKernel`).
///
/// All four transpose combinations are handled here, so the kernel only ever sees
/// `op(A)` and `op(B)` in one layout. Rows/columns past the matrix edge are zero-filled.
enum GEMMPacking {
  /// Packs `op(A)[i0 ..< i0+rows, p0 ..< p0+kc]` as `ceil(rows/6)` consecutive micro-panels of
  /// `6·kc` floats each: `dst[panel·6kc + p·6 + r] = op(A)[i0 + panel·6 + r, p0 + p]`.
  @inline(never)
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
          // 6 floats per step as one 4-lane and one 2-lane move.
          for p in 0..<kc {
            let o = UnsafeMutableRawPointer(out + p * mr), sr = UnsafeRawPointer(src)
            o.storeBytes(of: sr.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            (o + 16).storeBytes(of: (sr + 16).loadUnaligned(as: SIMD2<Float>.self), as: SIMD2<Float>.self)
            src += lda
          }
        } else {
          for p in 0..<kc {
            let o = out + p * mr
            for r in 0..<mr { o[r] = r < h ? src[r] : 0 }
            src += lda
          }
        }
      } else if h == mr {
        packRows6(a + (i0 + i) * lda + p0, lda: lda, kc: kc, out: out)
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

  /// Six full rows of a row-major A (`src`, row stride `lda`): 8 steps at a time, one vector load
  /// per row, interleaved into `out[p·6 + r]`; scalar tail.
  @inline(never)
  static func packRows6(_ src: UnsafePointer<Float>, lda: Int, kc: Int, out: UnsafeMutablePointer<Float>) {
    let r0 = src, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
    var p = 0
    while p + 8 <= kc {
      let v0 = MicroKernel.load8(r0 + p), v1 = MicroKernel.load8(r1 + p), v2 = MicroKernel.load8(r2 + p)
      let v3 = MicroKernel.load8(r3 + p), v4 = MicroKernel.load8(r4 + p), v5 = MicroKernel.load8(r5 + p)
      let o = out + p * 6
      for l in 0..<8 {
        o[l * 6] = v0[l]; o[l * 6 + 1] = v1[l]; o[l * 6 + 2] = v2[l]
        o[l * 6 + 3] = v3[l]; o[l * 6 + 4] = v4[l]; o[l * 6 + 5] = v5[l]
      }
      p += 8
    }
    while p < kc {
      let o = out + p * 6
      o[0] = r0[p]; o[1] = r1[p]; o[2] = r2[p]; o[3] = r3[p]; o[4] = r4[p]; o[5] = r5[p]
      p += 1
    }
  }

  /// Eight rows of b (`src`, stride `ldb`) become 8 columns of a 16-wide panel:
  /// `out[p·16 + r] = src[r·ldb + p]`, 8 steps at a time from one vector load per row.
  @inline(never)
  static func packColumns8(_ src: UnsafePointer<Float>, ldb: Int, kc: Int, out: UnsafeMutablePointer<Float>) {
    let r0 = src, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb
    let r4 = r3 + ldb, r5 = r4 + ldb, r6 = r5 + ldb, r7 = r6 + ldb
    var p = 0
    while p + 8 <= kc {
      let v0 = MicroKernel.load8(r0 + p), v1 = MicroKernel.load8(r1 + p), v2 = MicroKernel.load8(r2 + p)
      let v3 = MicroKernel.load8(r3 + p), v4 = MicroKernel.load8(r4 + p), v5 = MicroKernel.load8(r5 + p)
      let v6 = MicroKernel.load8(r6 + p), v7 = MicroKernel.load8(r7 + p)
      for l in 0..<8 {
        MicroKernel.store8(SIMD8(v0[l], v1[l], v2[l], v3[l], v4[l], v5[l], v6[l], v7[l]), out + (p + l) * 16)
      }
      p += 8
    }
    while p < kc {
      let o = out + p * 16
      o[0] = r0[p]; o[1] = r1[p]; o[2] = r2[p]; o[3] = r3[p]
      o[4] = r4[p]; o[5] = r5[p]; o[6] = r6[p]; o[7] = r7[p]
      p += 1
    }
  }

  /// Packs the 16-column panel `op(B)[p0 ..< p0+kc, j0 ..< j0+cols]` (`cols ≤ 16`) as
  /// `dst[p·16 + j] = op(B)[p0 + p, j0 + j]`, zero-filling columns `cols ..< 16`.
  @inline(never)
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
    } else if cols == nr {
      // op(B)[p, j] = b[j * ldb + p]: each column j of op(B) is a contiguous row of b.
      packColumns8(b + j0 * ldb + p0, ldb: ldb, kc: kc, out: dst)
      packColumns8(b + (j0 + 8) * ldb + p0, ldb: ldb, kc: kc, out: dst + 8)
    } else {
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
