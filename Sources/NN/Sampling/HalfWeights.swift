/// Half-precision (IEEE binary16) copies of the matrices a sampling step reads, and the
/// matrix–vector kernel that uses them.
///
/// Sampling one event reads every GRU and output weight once (3.5 MB in Float for H 256, V 360:
/// more than the L2 caches), so batch-1 sampling is bound by memory traffic. Halving the bytes
/// with binary16 weights (converted back by the hardware, `vcvtph2ps`) doubles its speed. Each
/// weight is rounded to the nearest binary16 (relative error ≤ 2⁻¹¹ for |w| ≥ 6.1e-5, absolute
/// ≤ 3e-8 below; magnitudes are clamped to 65504); inputs, accumulation and everything else stay
/// Float. Logits typically differ from the Float path by ~1e-4.
///
/// Each GRU matrix is kept as three `HalfMatrix` blocks of H rows (the r, z and n gates), so a
/// thread that owns units `u0..<u1` reads rows `u0..<u1` of each block.
final class HalfWeights {
  let H: Int, V: Int, L: Int
  /// `wih[l][g]`, `whh[l][g]`: gate `g`'s rows of `W_ih` / `W_hh` of layer `l` ([H, H] each).
  let wih: [[HalfMatrix]], whh: [[HalfMatrix]]
  /// `fc_class.weight` [V, H].
  let cls: HalfMatrix
  private var storage: [UnsafeMutablePointer<Float16>] = []

  /// The matrices of `m`, packed now, or (`packNow == false`) by later `pack` calls.
  init(_ m: GRUNet, packNow: Bool = true) {
    let H = m.config.hidden, V = m.config.vocabSize, L = m.config.layers
    self.H = H; self.V = V; self.L = L
    let lay = m.layout, P = m.params
    var list: [UnsafeMutablePointer<Float16>] = []
    func half(rows: Int) -> HalfMatrix {
      let dst = UnsafeMutablePointer<Float16>.allocate(capacity: rows * H)
      list.append(dst)
      return HalfMatrix(w: dst, rows: rows, k: H)
    }
    wih = lay.gru.map { _ in (0..<3).map { _ in half(rows: H) } }
    whh = lay.gru.map { _ in (0..<3).map { _ in half(rows: H) } }
    cls = half(rows: V)
    storage = list
    srcWih = lay.gru.map { UnsafePointer(P + $0.wih) }
    srcWhh = lay.gru.map { UnsafePointer(P + $0.whh) }
    srcCls = UnsafePointer(P + lay.cls)
    if packNow { pack(units: 0..<H, rows: 0..<V) }
  }

  private let srcWih: [UnsafePointer<Float>], srcWhh: [UnsafePointer<Float>], srcCls: UnsafePointer<Float>

  /// Packs the rows of hidden units `units` of every gate block and rows `rows` of `cls` from the
  /// model's parameters. Threads may pack disjoint ranges (starting at multiples of 4) at once.
  func pack(units: Range<Int>, rows: Range<Int>) {
    let n = H * H
    for l in 0..<L {
      for g in 0..<3 {
        wih[l][g].pack(srcWih[l] + g * n, rows: units)
        whh[l][g].pack(srcWhh[l] + g * n, rows: units)
      }
    }
    cls.pack(srcCls, rows: rows)
  }

  deinit { for p in storage { p.deallocate() } }
}

/// A binary16 matrix [rows, k] stored in panels of 4 rows, for `gemv`.
///
/// Rows `4i ..< 4i+4` (i < rows/4) occupy elements `4ik ..< 4(i+1)k`: first their blocks of 16
/// columns interleaved (row 0's 16, row 1's 16, row 2's, row 3's, then the next 16 columns), then
/// one block of 8 columns the same way (if `k % 16 >= 8`), then the last `k % 8` columns row by
/// row. So the kernel reads each panel front to back, one stream instead of four (1.6x faster from
/// L3 for k = 256). The last `rows % 4` rows are stored plainly (row `r` at `r·k`).
struct HalfMatrix {
  let w: UnsafeMutablePointer<Float16>
  let rows: Int, k: Int

  /// Element offset of (row `r`, column `p`).
  @inline(__always)
  func offset(_ r: Int, _ p: Int) -> Int {
    if r >= rows & ~3 { return r * k + p }
    let base = (r & ~3) * k, j = r & 3, k16 = k & ~15, k8 = k16 + (k - k16 >= 8 ? 8 : 0)
    if p < k16 { return base + (p >> 4) * 64 + j * 16 + (p & 15) }
    if p < k8 { return base + 4 * k16 + j * 8 + (p - k16) }
    return base + 4 * k8 + j * (k - k8) + (p - k8)
  }

  /// Fills rows `range` (all by default) from `src` [rows, k] (row-major Float), rounding to nearest
  /// binary16 with magnitudes clamped to 65504 (NaN stays NaN).
  func pack(_ src: UnsafePointer<Float>, rows range: Range<Int>? = nil) {
    let k8 = k & ~7
    for r in range ?? 0..<rows {
      let s = src + r * k
      var p = 0
      while p < k8 {  // 8 columns never straddle a block of 16 or the block of 8
        var v = UnsafeRawPointer(s + p).loadUnaligned(as: SIMD8<Float>.self)
        v.replace(with: 65504, where: v .> 65504)
        v.replace(with: -65504, where: v .< -65504)
        UnsafeMutableRawPointer(w + offset(r, p)).storeBytes(of: SIMD8<Float16>(v), as: SIMD8<Float16>.self)
        p += 8
      }
      while p < k {
        var v = s[p]
        if v > 65504 { v = 65504 }
        if v < -65504 { v = -65504 }
        w[offset(r, p)] = Float16(v)
        p += 1
      }
    }
  }

  /// `y[b*ldy + r] = Σ_p w[r, p] * x[b*ldx + p]` for rows `r` in `rows` and `b < B`. `rows`
  /// must start at a multiple of 4 and end at a multiple of 4 or at `self.rows`. Each output has
  /// exactly the arithmetic of `HalfKernels.dot1` on the row-major row (fixed by `k` alone, not
  /// by the row range or B).
  @inline(__always)
  func gemv(rows range: Range<Int>, x: UnsafePointer<Float>, ldx: Int, B: Int, y: UnsafeMutablePointer<Float>,
            ldy: Int) {
    let k = self.k
    var r = range.lowerBound
    while r + 4 <= range.upperBound && r + 4 <= rows {
      for b in 0..<B { HalfKernels.dot4Panel(w + r * k, k: k, x: x + b * ldx, y: y + b * ldy + r) }
      r += 4
    }
    while r < range.upperBound {
      for b in 0..<B { y[b * ldy + r] = HalfKernels.dot1(w + r * k, k: k, x: x + b * ldx) }
      r += 1
    }
  }
}

/// The dot products behind `HalfMatrix.gemv`: 8-lane FMAs on binary16 weights converted to Float.
enum HalfKernels {
  /// Eight binary16 values widened to Float. Lane by lane with the scalar conversion (always
  /// inlined; LLVM fuses it into one `vcvtph2ps`): the generic `SIMD8<Float>(SIMD8<Float16>)` is
  /// a call the optimizer sometimes leaves out of line, which made sampling 5x slower.
  @inline(__always) static func h8(_ p: UnsafePointer<Float16>) -> SIMD8<Float> {
    let h = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float16>.self)
    return SIMD8<Float>(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]),
                        Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]))
  }

  @inline(__always) static func f8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// One row-major row: two accumulators over blocks of 16, one more block of 8,
  /// `(a + c).sum()`, scalar FMA tail. This arithmetic defines every output of `gemv`.
  @inline(__always)
  static func dot1(_ w: UnsafePointer<Float16>, k: Int, x: UnsafePointer<Float>) -> Float {
    var a = SIMD8<Float>(), c = SIMD8<Float>()
    var p = 0
    while p + 16 <= k {
      a = a.addingProduct(h8(w + p), f8(x + p))
      c = c.addingProduct(h8(w + p + 8), f8(x + p + 8))
      p += 16
    }
    if p + 8 <= k { a = a.addingProduct(h8(w + p), f8(x + p)); p += 8 }
    var s = (a + c).sum()
    while p < k { s = s.addingProduct(Float(w[p]), x[p]); p += 1 }
    return s
  }

  /// The four rows of one panel (layout in `HalfMatrix`), each with exactly `dot1`'s arithmetic.
  @inline(__always)
  static func dot4Panel(
    _ w: UnsafePointer<Float16>, k: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
  ) {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
    var p = 0, q = w
    while p + 16 <= k {
      let x0 = f8(x + p), x1 = f8(x + p + 8)
      a0 = a0.addingProduct(h8(q), x0); c0 = c0.addingProduct(h8(q + 8), x1)
      a1 = a1.addingProduct(h8(q + 16), x0); c1 = c1.addingProduct(h8(q + 24), x1)
      a2 = a2.addingProduct(h8(q + 32), x0); c2 = c2.addingProduct(h8(q + 40), x1)
      a3 = a3.addingProduct(h8(q + 48), x0); c3 = c3.addingProduct(h8(q + 56), x1)
      p += 16; q += 64
    }
    if p + 8 <= k {
      let x0 = f8(x + p)
      a0 = a0.addingProduct(h8(q), x0); a1 = a1.addingProduct(h8(q + 8), x0)
      a2 = a2.addingProduct(h8(q + 16), x0); a3 = a3.addingProduct(h8(q + 24), x0)
      p += 8; q += 32
    }
    var s0 = (a0 + c0).sum(), s1 = (a1 + c1).sum(), s2 = (a2 + c2).sum(), s3 = (a3 + c3).sum()
    let t = k - p
    var i = 0
    while p < k {
      let xp = x[p]
      s0 = s0.addingProduct(Float(q[i]), xp); s1 = s1.addingProduct(Float(q[t + i]), xp)
      s2 = s2.addingProduct(Float(q[2 * t + i]), xp); s3 = s3.addingProduct(Float(q[3 * t + i]), xp)
      p += 1; i += 1
    }
    y[0] = s0; y[1] = s1; y[2] = s2; y[3] = s3
  }

  /// The naive twin of `HalfMatrix.gemv` on a plain row-major matrix (`dot1` per row): the test
  /// oracle, and the definition of the bits every output must have.
  static func gemvRowMajor(_ w: UnsafePointer<Float16>, rows: Range<Int>, k: Int, x: UnsafePointer<Float>,
                           ldx: Int, B: Int, y: UnsafeMutablePointer<Float>, ldy: Int) {
    for r in rows {
      for b in 0..<B { y[b * ldy + r] = dot1(w + r * k, k: k, x: x + b * ldx) }
    }
  }
}
