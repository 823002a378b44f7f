/// SIMD element-wise math for the NN layers: `exp`, `tanh`, `sigmoid` on `SIMD8<Float>` and over
/// buffers, plus `dot`, `axpy`, `sum` and `addColumnSums`.
///
/// Contract (checked by `KernelVectorMathTests` against a `Double` reference on a dense sweep):
/// - `exp`: relative error ≤ 2e-7 (≈ 2 ulp) where the result is a normal float (x ≳ -87.3); the
///   result underflows through subnormals to `0` (x ≤ -104) and is `+inf` for x > 88.72, as `expf`.
/// - `tanh`: relative error ≤ 2e-7 everywhere; odd; ±1 for |x| ≥ 9.1; never NaN/inf for finite x.
/// - `sigmoid` = 1 / (1 + e^-x): relative error ≤ 2e-7 where the result is a normal float; in [0, 1];
///   never NaN/inf for finite x.
/// - Deterministic: a lane's result depends only on that lane's input (no tables, no state), so
///   the buffer versions give the same bits wherever an element sits (tails are computed as padded
///   vectors) and for any thread count. NaN in gives NaN out.
/// The scalar twins in `VectorMathNaive` (Foundation's `exp`/`tanh`) are the test oracles.
///
/// Use the buffer functions on whole rows (they are kept out of line so their loads stay
/// vectorized), or the `SIMD8` functions inside your own fused loops.
public enum VectorMath {
  public typealias V = SIMD8<Float>

  // MARK: SIMD8 functions

  /// e^x lane-wise. Cody–Waite reduction x = n·ln2 + r (|r| ≤ ln2/2), the degree-6 Cephes
  /// polynomial for e^r (FMA Horner), then scaling by 2^n in two steps so subnormals come out right.
  @inlinable @inline(__always)
  public static func exp(_ x: V) -> V {
    let xc = clamp(x, -104, 89)
    let n = roundToInt(xc * 1.44269504088896341)
    var r = xc.addingProduct(n, V(repeating: -0.693359375))  // exact: ln2 high part has 9 bits
    r = r.addingProduct(n, V(repeating: 2.12194440e-4))  // ln2 low part
    var p = V(repeating: 1.9875691500e-4)
    p = V(repeating: 1.3981999507e-3).addingProduct(p, r)
    p = V(repeating: 8.3334519073e-3).addingProduct(p, r)
    p = V(repeating: 4.1665795894e-2).addingProduct(p, r)
    p = V(repeating: 1.6666665459e-1).addingProduct(p, r)
    p = V(repeating: 5.0000001201e-1).addingProduct(p, r)
    let e = (r.addingProduct(p, r * r)) + 1
    // 2^n as 2^n1 · 2^n2 with n1, n2 in [-75, 64] (normal floats) so subnormal results are right.
    let n1 = roundToInt(n * 0.5), n2 = n - n1
    return (e * pow2(n1) * pow2(n2)).replacing(with: x, where: x .!= x)
  }

  /// `v` rounded to the nearest integer (ties to even), for |v| < 2²²: adding 1.5·2²³ rounds in
  /// the FPU's default mode and leaves the integer in the low mantissa bits.
  @inlinable @inline(__always)
  static func roundToInt(_ v: V) -> V {
    let magic = V(repeating: 12_582_912)
    return (v + magic) - magic
  }

  /// 2^n for integer-valued `n` in [-126, 127], built from the exponent bits.
  @inlinable @inline(__always)
  static func pow2(_ n: V) -> V {
    // n + 127 + 1.5·2²³ is exact; its low mantissa bits hold the biased exponent n + 127.
    let biased = unsafeBitCast(n + 12_583_039, to: SIMD8<Int32>.self) &- 0x4B40_0000
    return unsafeBitCast(biased &<< 23, to: V.self)
  }

  /// `v` clamped to [lo, hi] lane-wise (NaN lanes stay NaN-free: they become `hi`/`lo`; callers
  /// restore NaN explicitly).
  @inlinable @inline(__always)
  static func clamp(_ v: V, _ lo: Float, _ hi: Float) -> V {
    let l = V(repeating: lo), h = V(repeating: hi)
    return v.replacing(with: l, where: v .< l).replacing(with: h, where: v .> h)
  }

  /// tanh x lane-wise: the odd Cephes polynomial x + x³·P(x²) for |x| < 0.625, else
  /// sign(x)·(1 − 2 / (e^{2|x|} + 1)).
  @inlinable @inline(__always)
  public static func tanh(_ x: V) -> V {
    let ax = x.replacing(with: -x, where: x .< 0)
    // Small |x|.
    let z = x * x
    var p = V(repeating: -5.70498872745e-3)
    p = V(repeating: 2.06390887954e-2).addingProduct(p, z)
    p = V(repeating: -5.37397155531e-2).addingProduct(p, z)
    p = V(repeating: 1.33314422036e-1).addingProduct(p, z)
    p = V(repeating: -3.33332819422e-1).addingProduct(p, z)
    let small = x.addingProduct(p * z, x)
    // Large |x| (e^{2|x|} may overflow to +inf: 2/inf = 0 gives exactly 1).
    let e = exp(clamp(ax, 0, 44) * 2)
    var big = 1 - 2 / (e + 1)
    big.replace(with: -big, where: x .< 0)
    big.replace(with: small, where: ax .< 0.625)
    return big.replacing(with: x, where: (x .!= x) .| (x .== 0))  // NaN, and ±0 keeps its sign
  }

  /// 1 / (1 + e^-x) lane-wise, as e^{-|x|}-based fractions (no cancellation, no overflow):
  /// `1 / (1 + t)` for x ≥ 0 and `t / (1 + t)` for x < 0, with t = e^{-|x|}.
  @inlinable @inline(__always)
  public static func sigmoid(_ x: V) -> V {
    let ax = x.replacing(with: -x, where: x .< 0)
    let t = exp(-ax)
    let d = 1 + t
    let one = V(repeating: 1)
    return (one.replacing(with: t, where: x .< 0)) / d
  }

  // MARK: Buffers

  /// `y[i] = exp(x[i])` for `i < count`; `y` may be `x` (in place).
  @inline(never)
  public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    map(x, y, count) { exp($0) }
  }

  /// `y[i] = tanh(x[i])` for `i < count`; `y` may be `x` (in place).
  @inline(never)
  public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    map(x, y, count) { tanh($0) }
  }

  /// `y[i] = sigmoid(x[i])` for `i < count`; `y` may be `x` (in place).
  @inline(never)
  public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    map(x, y, count) { sigmoid($0) }
  }

  /// Applies `f` 8 lanes at a time; the tail is loaded into a zero-padded vector, so every element
  /// goes through exactly the same lane arithmetic.
  @inlinable @inline(__always)
  public static func map(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ f: (V) -> V
  ) {
    var i = 0
    while i + 8 <= count {
      store(f(load(x + i)), y + i)
      i += 8
    }
    if i < count {
      var v = V()
      for l in 0..<(count - i) { v[l] = x[i + l] }
      let r = f(v)
      for l in 0..<(count - i) { y[i + l] = r[l] }
    }
  }

  // MARK: Reductions and BLAS-1

  /// Σ a[i]·b[i]: four 8-lane FMA accumulators over blocks of 32, then blocks of 8, combined
  /// pairwise, lane-summed, then a scalar FMA tail. The order is fixed by `count` alone.
  @inline(never)
  public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var s0 = V(), s1 = V(), s2 = V(), s3 = V()
    var i = 0
    while i + 32 <= count {
      s0 = s0.addingProduct(load(a + i), load(b + i))
      s1 = s1.addingProduct(load(a + i + 8), load(b + i + 8))
      s2 = s2.addingProduct(load(a + i + 16), load(b + i + 16))
      s3 = s3.addingProduct(load(a + i + 24), load(b + i + 24))
      i += 32
    }
    while i + 8 <= count {
      s0 = s0.addingProduct(load(a + i), load(b + i))
      i += 8
    }
    var s = hsum((s0 + s1) + (s2 + s3))
    while i < count {
      s = s.addingProduct(a[i], b[i])
      i += 1
    }
    return s
  }

  /// Σ x[i], with the same accumulation structure as `dot`.
  @inline(never)
  public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var s0 = V(), s1 = V(), s2 = V(), s3 = V()
    var i = 0
    while i + 32 <= count {
      s0 += load(x + i); s1 += load(x + i + 8); s2 += load(x + i + 16); s3 += load(x + i + 24)
      i += 32
    }
    while i + 8 <= count {
      s0 += load(x + i)
      i += 8
    }
    var s = hsum((s0 + s1) + (s2 + s3))
    while i < count {
      s += x[i]
      i += 1
    }
    return s
  }

  /// `y[i] += alpha · x[i]` (one fused multiply-add per element).
  @inline(never)
  public static func axpy(
    _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    let av = V(repeating: alpha)
    var i = 0
    while i + 8 <= count {
      store(load(y + i).addingProduct(av, load(x + i)), y + i)
      i += 8
    }
    while i < count {
      y[i] = y[i].addingProduct(alpha, x[i])
      i += 1
    }
  }

  /// `out[j] += Σ_i x[i·ld + j]` for `j < cols` (bias gradients: column sums of a [rows, cols]
  /// matrix). Per column: a running sum from 0 over the rows in order, then one add into `out` —
  /// the same arithmetic as the plain double loop, so results equal it bit for bit, for any
  /// `Parallel.threads` (columns are split in blocks of 64 when the matrix is large).
  @inline(never)
  public static func addColumnSums(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int, into out: UnsafeMutablePointer<Float>
  ) {
    let chunks = (cols + 63) / 64
    let jobs = rows * cols >= 1 << 16 ? min(chunks, max(1, Parallel.threads) * 4) : 1
    Parallel.forEach(jobs) { job in
      var j = (chunks * job / jobs) * 64
      let end = min(cols, (chunks * (job + 1) / jobs) * 64)
      while j + 64 <= end {
        columnSums64(x + j, rows: rows, ld: ld, into: out + j)
        j += 64
      }
      while j + 8 <= end {
        var acc = V()
        for i in 0..<rows { acc += load(x + i * ld + j) }
        store(load(out + j) + acc, out + j)
        j += 8
      }
      while j < end {
        var acc: Float = 0
        for i in 0..<rows { acc += x[i * ld + j] }
        out[j] += acc
        j += 1
      }
    }
  }

  @inline(never)
  static func columnSums64(
    _ x: UnsafePointer<Float>, rows: Int, ld: Int, into out: UnsafeMutablePointer<Float>
  ) {
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
    var row = x
    for _ in 0..<rows {
      a0 += load(row); a1 += load(row + 8); a2 += load(row + 16); a3 += load(row + 24)
      a4 += load(row + 32); a5 += load(row + 40); a6 += load(row + 48); a7 += load(row + 56)
      row += ld
    }
    store(load(out) + a0, out); store(load(out + 8) + a1, out + 8)
    store(load(out + 16) + a2, out + 16); store(load(out + 24) + a3, out + 24)
    store(load(out + 32) + a4, out + 32); store(load(out + 40) + a5, out + 40)
    store(load(out + 48) + a6, out + 48); store(load(out + 56) + a7, out + 56)
  }

  /// Lane sum in a fixed order: halves, then quarters, then the last pair.
  @inlinable @inline(__always)
  public static func hsum(_ v: V) -> Float {
    let h = v.lowHalf + v.highHalf
    let q = h.lowHalf + h.highHalf
    return q[0] + q[1]
  }

  @inlinable @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
  }

  @inlinable @inline(__always)
  static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
  }
}
