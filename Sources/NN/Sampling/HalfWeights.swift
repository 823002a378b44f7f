/// Half-precision (IEEE binary16) copies of the matrices a sampling step reads, and the
/// matrix–vector kernel that uses them.
///
/// Sampling one event reads every GRU and output weight once (3.5 MB in Float for H 256, V 360:
/// more than the L2 caches), so batch-1 sampling is bound by memory bandwidth. Halving the bytes
/// with binary16 weights (converted back by the hardware, `vcvtph2ps`) doubles its speed. Each
/// weight is rounded to the nearest binary16 (relative error ≤ 2⁻¹¹ for |w| ≥ 6.1e-5, absolute
/// ≤ 3e-8 below; magnitudes are clamped to 65504); inputs, accumulation and everything else stay
/// Float. Logits typically differ from the Float path by ~1e-4.
final class HalfWeights {
  let H: Int, V: Int, L: Int
  let wih: [UnsafeMutablePointer<Float16>], whh: [UnsafeMutablePointer<Float16>]
  let cls: UnsafeMutablePointer<Float16>

  init(_ m: GRUNet) {
    H = m.config.hidden; V = m.config.vocabSize; L = m.config.layers
    let lay = m.layout, P = m.params, n = 3 * H * H
    func half(_ src: UnsafePointer<Float>, _ count: Int) -> UnsafeMutablePointer<Float16> {
      let dst = UnsafeMutablePointer<Float16>.allocate(capacity: count)
      var i = 0
      while i + 8 <= count {
        var v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
        v.replace(with: 65504, where: v .> 65504)
        v.replace(with: -65504, where: v .< -65504)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: SIMD8<Float16>(v), as: SIMD8<Float16>.self)
        i += 8
      }
      while i < count { dst[i] = Float16(min(65504, max(-65504, src[i]))); i += 1 }
      return dst
    }
    wih = lay.gru.map { half(P + $0.wih, n) }
    whh = lay.gru.map { half(P + $0.whh, n) }
    cls = half(P + lay.cls, V * H)
  }

  deinit {
    for p in wih + whh { p.deallocate() }
    cls.deallocate()
  }

  /// `y[b*ldy + r] = Σ_p w[r*k + p] * x[b*ldx + p]` for rows `r` in `rows` and `b < B`.
  /// Rows go in blocks of 4 (each block's weights stay in L1 across the B inputs); each output's
  /// arithmetic depends only on `k`, not on the row range or B.
  static func gemv(_ w: UnsafePointer<Float16>, rows: Range<Int>, k: Int, x: UnsafePointer<Float>, ldx: Int,
                   B: Int, y: UnsafeMutablePointer<Float>, ldy: Int) {
    var r = rows.lowerBound
    while r + 4 <= rows.upperBound {
      for b in 0..<B {
        dot4(w + r * k, k: k, x: x + b * ldx, y: y + b * ldy + r)
      }
      r += 4
    }
    while r < rows.upperBound {
      for b in 0..<B { y[b * ldy + r] = dot1(w + r * k, k: k, x: x + b * ldx) }
      r += 1
    }
  }

  @inline(__always) static func h8(_ p: UnsafePointer<Float16>) -> SIMD8<Float> {
    SIMD8<Float>(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float16>.self))
  }

  @inline(__always) static func f8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// One row: two accumulators over blocks of 16, one more block of 8, `(a + b).sum()`, scalar tail.
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

  /// Four consecutive rows (stride k), each with exactly `dot1`'s arithmetic.
  @inline(__always)
  static func dot4(_ w: UnsafePointer<Float16>, k: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
    var p = 0
    while p + 16 <= k {
      let x0 = f8(x + p), x1 = f8(x + p + 8)
      a0 = a0.addingProduct(h8(w0 + p), x0); c0 = c0.addingProduct(h8(w0 + p + 8), x1)
      a1 = a1.addingProduct(h8(w1 + p), x0); c1 = c1.addingProduct(h8(w1 + p + 8), x1)
      a2 = a2.addingProduct(h8(w2 + p), x0); c2 = c2.addingProduct(h8(w2 + p + 8), x1)
      a3 = a3.addingProduct(h8(w3 + p), x0); c3 = c3.addingProduct(h8(w3 + p + 8), x1)
      p += 16
    }
    if p + 8 <= k {
      let x0 = f8(x + p)
      a0 = a0.addingProduct(h8(w0 + p), x0); a1 = a1.addingProduct(h8(w1 + p), x0)
      a2 = a2.addingProduct(h8(w2 + p), x0); a3 = a3.addingProduct(h8(w3 + p), x0)
      p += 8
    }
    var s0 = (a0 + c0).sum(), s1 = (a1 + c1).sum(), s2 = (a2 + c2).sum(), s3 = (a3 + c3).sum()
    while p < k {
      let xp = x[p]
      s0 = s0.addingProduct(Float(w0[p]), xp); s1 = s1.addingProduct(Float(w1[p]), xp)
      s2 = s2.addingProduct(Float(w2[p]), xp); s3 = s3.addingProduct(Float(w3[p]), xp)
      p += 1
    }
    y[0] = s0; y[1] = s1; y[2] = s2; y[3] = s3
  }
}
