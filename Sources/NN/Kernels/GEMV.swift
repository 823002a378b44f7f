/// Matrix–vector products: the `m == 1` / `n == 1` cases of `GEMM.sgemm` (e.g. sampling one
/// melody: a [1,H]·[H,3H] GEMV per GRU step).
///
/// Two memory layouts, both with a contiguous `x` of length `k`:
/// - `dotRows`:  `y[r·incy] = alpha · Σ_p M[r·ldm + p]·x[p] + beta · y[r·incy]`
///   (rows of M contiguous);
/// - `axpyRows`: `y[j·incy] = alpha · Σ_p x[p]·M[p·ldm + j] + beta · y[j·incy]`
///   (columns of M contiguous).
/// `beta == 0` never reads `y`. Each output's arithmetic is fixed by `k` alone (not by how outputs are
/// grouped or split across threads), so results are bit-identical for any `Parallel.threads`.
enum GEMV {
  /// Minimum multiply-adds (`outputs · k`) before the outputs are split across threads: a
  /// [256]·[256,768] GEMV takes ~15 µs on one core, about what waking a second thread costs.
  nonisolated(unsafe) static var parallelThreshold = 1 << 19

  @inline(__always)
  static func finish(_ s: Float, alpha: Float, beta: Float, _ y: UnsafeMutablePointer<Float>) {
    let v = s * alpha
    if beta == 0 {
      y.pointee = v
    } else if beta == 1 {
      y.pointee = y.pointee + v
    } else {
      y.pointee = v + y.pointee * beta
    }
  }

  // MARK: dot form

  static func dotRows(
    rows: Int, k: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>,
    alpha: Float, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int, threads: Int
  ) {
    let groups = (rows + 3) / 4
    let jobs = jobCount(outputs: rows, k: k, maxJobs: groups, threads: threads)
    Parallel.forEach(jobs, threads: threads) { job in
      let g0 = groups * job / jobs, g1 = groups * (job + 1) / jobs
      var r = g0 * 4
      let end = min(rows, g1 * 4)
      while r + 4 <= end {
        dot4(k: k, m: m + r * ldm, ldm: ldm, x: x, alpha: alpha, beta: beta, y: y + r * incy, incy: incy)
        r += 4
      }
      while r < end {
        let s = dot1(k: k, row: m + r * ldm, x: x)
        finish(s, alpha: alpha, beta: beta, y + r * incy)
        r += 1
      }
    }
  }

  /// One row: two 8-lane accumulators over blocks of 16, one more block of 8, lane sum, scalar tail.
  @inline(never)
  static func dot1(k: Int, row: UnsafePointer<Float>, x: UnsafePointer<Float>) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    var p = 0
    while p + 16 <= k {
      let x0 = MicroKernel.load8(x + p), x1 = MicroKernel.load8(x + p + 8)
      a0 = a0.addingProduct(MicroKernel.load8(row + p), x0)
      a1 = a1.addingProduct(MicroKernel.load8(row + p + 8), x1)
      p += 16
    }
    if p + 8 <= k {
      a0 = a0.addingProduct(MicroKernel.load8(row + p), MicroKernel.load8(x + p))
      p += 8
    }
    var s = hsum(a0 + a1)
    while p < k {
      s = s.addingProduct(row[p], x[p])
      p += 1
    }
    return s
  }

  /// Four rows at once, each with exactly the arithmetic of `dot1`.
  @inline(never)
  static func dot4(
    k: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>,
    alpha: Float, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    let r0 = m, r1 = m + ldm, r2 = m + 2 * ldm, r3 = m + 3 * ldm
    var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a10 = SIMD8<Float>(), a11 = SIMD8<Float>()
    var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a30 = SIMD8<Float>(), a31 = SIMD8<Float>()
    var p = 0
    while p + 16 <= k {
      let x0 = MicroKernel.load8(x + p), x1 = MicroKernel.load8(x + p + 8)
      a00 = a00.addingProduct(MicroKernel.load8(r0 + p), x0)
      a01 = a01.addingProduct(MicroKernel.load8(r0 + p + 8), x1)
      a10 = a10.addingProduct(MicroKernel.load8(r1 + p), x0)
      a11 = a11.addingProduct(MicroKernel.load8(r1 + p + 8), x1)
      a20 = a20.addingProduct(MicroKernel.load8(r2 + p), x0)
      a21 = a21.addingProduct(MicroKernel.load8(r2 + p + 8), x1)
      a30 = a30.addingProduct(MicroKernel.load8(r3 + p), x0)
      a31 = a31.addingProduct(MicroKernel.load8(r3 + p + 8), x1)
      p += 16
    }
    if p + 8 <= k {
      let x0 = MicroKernel.load8(x + p)
      a00 = a00.addingProduct(MicroKernel.load8(r0 + p), x0)
      a10 = a10.addingProduct(MicroKernel.load8(r1 + p), x0)
      a20 = a20.addingProduct(MicroKernel.load8(r2 + p), x0)
      a30 = a30.addingProduct(MicroKernel.load8(r3 + p), x0)
      p += 8
    }
    var s0 = hsum(a00 + a01), s1 = hsum(a10 + a11)
    var s2 = hsum(a20 + a21), s3 = hsum(a30 + a31)
    while p < k {
      let xp = x[p]
      s0 = s0.addingProduct(r0[p], xp); s1 = s1.addingProduct(r1[p], xp)
      s2 = s2.addingProduct(r2[p], xp); s3 = s3.addingProduct(r3[p], xp)
      p += 1
    }
    finish(s0, alpha: alpha, beta: beta, y)
    finish(s1, alpha: alpha, beta: beta, y + incy)
    finish(s2, alpha: alpha, beta: beta, y + 2 * incy)
    finish(s3, alpha: alpha, beta: beta, y + 3 * incy)
  }

  // MARK: axpy form

  static func axpyRows(
    cols: Int, k: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>,
    alpha: Float, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int, threads: Int
  ) {
    let chunks = (cols + 63) / 64
    let jobs = jobCount(outputs: cols, k: k, maxJobs: chunks, threads: threads)
    Parallel.forEach(jobs, threads: threads) { job in
      let c0 = chunks * job / jobs, c1 = chunks * (job + 1) / jobs
      var j = c0 * 64
      let end = min(cols, c1 * 64)
      while j + 64 <= end {
        axpy64(k: k, m: m + j, ldm: ldm, x: x, alpha: alpha, beta: beta, y: y + j * incy, incy: incy)
        j += 64
      }
      while j + 8 <= end {
        axpy8(k: k, m: m + j, ldm: ldm, x: x, alpha: alpha, beta: beta, y: y + j * incy, incy: incy)
        j += 8
      }
      while j < end {
        var s: Float = 0
        for p in 0..<k { s = s.addingProduct(x[p], m[p * ldm + j]) }
        finish(s, alpha: alpha, beta: beta, y + j * incy)
        j += 1
      }
    }
  }

  /// 64 consecutive outputs: eight 8-lane accumulators, one fused multiply-add per `p` per lane.
  @inline(never)
  static func axpy64(
    k: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>,
    alpha: Float, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
    var row = m
    for p in 0..<k {
      let xp = SIMD8<Float>(repeating: x[p])
      a0 = a0.addingProduct(xp, MicroKernel.load8(row))
      a1 = a1.addingProduct(xp, MicroKernel.load8(row + 8))
      a2 = a2.addingProduct(xp, MicroKernel.load8(row + 16))
      a3 = a3.addingProduct(xp, MicroKernel.load8(row + 24))
      a4 = a4.addingProduct(xp, MicroKernel.load8(row + 32))
      a5 = a5.addingProduct(xp, MicroKernel.load8(row + 40))
      a6 = a6.addingProduct(xp, MicroKernel.load8(row + 48))
      a7 = a7.addingProduct(xp, MicroKernel.load8(row + 56))
      row += ldm
    }
    finish8(a0, alpha: alpha, beta: beta, y, incy); finish8(a1, alpha: alpha, beta: beta, y + 8 * incy, incy)
    finish8(a2, alpha: alpha, beta: beta, y + 16 * incy, incy)
    finish8(a3, alpha: alpha, beta: beta, y + 24 * incy, incy)
    finish8(a4, alpha: alpha, beta: beta, y + 32 * incy, incy)
    finish8(a5, alpha: alpha, beta: beta, y + 40 * incy, incy)
    finish8(a6, alpha: alpha, beta: beta, y + 48 * incy, incy)
    finish8(a7, alpha: alpha, beta: beta, y + 56 * incy, incy)
  }

  /// 8 consecutive outputs: one 8-lane accumulator (same per-lane arithmetic as `axpy64`).
  @inline(never)
  static func axpy8(
    k: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>,
    alpha: Float, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    var acc = SIMD8<Float>()
    var row = m
    for p in 0..<k {
      acc = acc.addingProduct(SIMD8(repeating: x[p]), MicroKernel.load8(row))
      row += ldm
    }
    finish8(acc, alpha: alpha, beta: beta, y, incy)
  }

  /// `finish` on 8 consecutive outputs (lane-wise identical arithmetic).
  @inline(__always)
  static func finish8(
    _ s: SIMD8<Float>, alpha: Float, beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int
  ) {
    if incy == 1 {
      let v = s * alpha
      if beta == 0 {
        MicroKernel.store8(v, y)
      } else if beta == 1 {
        MicroKernel.store8(MicroKernel.load8(y) + v, y)
      } else {
        MicroKernel.store8(v + MicroKernel.load8(y) * beta, y)
      }
    } else {
      for l in 0..<8 { finish(s[l], alpha: alpha, beta: beta, y + l * incy) }
    }
  }

  // MARK: prepacked B

  /// `y[0, j] = alpha · Σ_p x[p]·B[p, j] + beta · y[0, j]` over a `PackedMatrix`, with exactly the
  /// micro-kernel's per-element arithmetic (FMA chain per K block, then the same C update), so an
  /// m = 1 product equals row 0 of the blocked product bit for bit.
  static func packedRow(
    x: UnsafePointer<Float>, packed: PackedMatrix, alpha: Float, beta: Float,
    y: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let nr = MicroKernel.nr, panels = packed.panels, n = packed.n, k = packed.k
    let jobs = jobCount(outputs: n, k: k, maxJobs: panels, threads: threads)
    Parallel.forEach(jobs, threads: threads) { job in
      var tile = (SIMD8<Float>(), SIMD8<Float>())
      for jp in (panels * job / jobs)..<(panels * (job + 1) / jobs) {
        let j0 = jp * nr, cols = min(nr, n - j0)
        var p0 = 0, kb = 0
        while p0 < k {
          let kcb = min(packed.kc, k - p0)
          let (s0, s1) = panelRow(kc: kcb, x: x + p0, b: packed.block(kb) + jp * kcb * nr)
          let betaNow: Float = p0 == 0 ? beta : 1
          if cols == nr {
            MicroKernel.update(y + j0, s0, s1, alpha: alpha, beta: betaNow)
          } else {
            tile = (s0, s1)
            withUnsafeBytes(of: &tile) { raw in
              let t = raw.bindMemory(to: Float.self)
              for j in 0..<cols {
                let v = t[j] * alpha
                let o = y + j0 + j
                if betaNow == 0 {
                  o.pointee = v
                } else if betaNow == 1 {
                  o.pointee = o.pointee + v
                } else {
                  o.pointee = v + o.pointee * betaNow
                }
              }
            }
          }
          p0 += kcb
          kb += 1
        }
      }
    }
  }

  /// One row of the micro-kernel: 16 accumulators over `kc` steps of a packed panel.
  @inline(never)
  static func panelRow(kc: Int, x: UnsafePointer<Float>, b: UnsafePointer<Float>)
    -> (SIMD8<Float>, SIMD8<Float>)
  {
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>()
    var pb = b
    for p in 0..<kc {
      let av = SIMD8<Float>(repeating: x[p])
      c0 = c0.addingProduct(av, MicroKernel.load8(pb))
      c1 = c1.addingProduct(av, MicroKernel.load8(pb + 8))
      pb += 16
    }
    return (c0, c1)
  }

  /// Lane sum in a fixed order: halves, then quarters, then the last pair.
  @inline(__always)
  static func hsum(_ v: SIMD8<Float>) -> Float {
    let h = v.lowHalf + v.highHalf
    let q = h.lowHalf + h.highHalf
    return q[0] + q[1]
  }

  static func jobCount(outputs: Int, k: Int, maxJobs: Int, threads: Int) -> Int {
    if threads == 1 || outputs * k < parallelThreshold { return 1 }
    return max(1, min(threads, maxJobs))
  }
}
