import Foundation

/// LayerNorm over the last dimension (PyTorch `LayerNorm(H)`, eps 1e-5, biased variance).
///
/// Shapes: `x`, `out` [N,H]; `w`, `b` [H]; `mean`, `rstd` (N), saved for backward.
///
///     mean = Σ_h x / H;  rstd = 1 / sqrt(Σ_h (x-mean)² / H + eps)
///     out  = (x - mean) * rstd * w + b
///
/// Each row's sums run over h in order (one sequential chain per row); rows are processed eight at
/// a time with row `k` in lane `k`, so the eight chains overlap without changing any row's result.
enum LayerNormLayer {
  static let eps: Float = 1e-5
  typealias V = SIMD8<Float>

  static func forward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>, N: Int, H: Int
  ) {
    Chunks.rows(N, size: 128) { r in
      var i = r.lowerBound
      while i < r.upperBound {
        let n = min(8, r.upperBound - i)
        let rows = RowGroup(x, i, n, H)
        var s = V()
        for h in 0..<H { s += rows.column(h) }
        let m = s / Float(H)
        var v = V()
        for h in 0..<H { let d = rows.column(h) - m; v += d * d }
        let rs = 1 / (v / Float(H) + eps).squareRoot()
        for k in 0..<n {
          let xi = x + (i + k) * H, o = out + (i + k) * H
          let mk = m[k], rk = rs[k]
          for h in 0..<H { o[h] = (xi[h] - mk) * rk * w[h] + b[h] }
          mean[i + k] = mk
          rstd[i + k] = rk
        }
        i += n
      }
    }
  }

  /// `dx += rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))` with `dxhat = dout * w`;
  /// `dw += Σ_i dout * xhat`, `db += Σ_i dout`. `dx` may not alias `dout`.
  static func backward(
    dx: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, N: Int, H: Int
  ) {
    Chunks.rows(N, size: 128) { r in
      var i = r.lowerBound
      while i < r.upperBound {
        let n = min(8, r.upperBound - i)
        let xs = RowGroup(x, i, n, H), ds = RowGroup(dout, i, n, H)
        var m = V(), rs = V()
        for k in 0..<8 { m[k] = mean[i + min(k, n - 1)]; rs[k] = rstd[i + min(k, n - 1)] }
        var s1 = V(), s2 = V()
        for h in 0..<H {
          let xhat = (xs.column(h) - m) * rs
          let dxhat = ds.column(h) * w[h]
          s1 += dxhat
          s2 += dxhat * xhat
        }
        s1 /= Float(H); s2 /= Float(H)
        for k in 0..<n {
          let xi = x + (i + k) * H, di = dout + (i + k) * H, o = dx + (i + k) * H
          let mk = m[k], rk = rs[k], a = s1[k], c = s2[k]
          for h in 0..<H {
            let xhat = (xi[h] - mk) * rk
            let dxhat = di[h] * w[h]
            o[h] += rk * (dxhat - a - xhat * c)
          }
        }
        i += n
      }
    }
    Chunks.columns(H) { cols in
      for i in 0..<N {
        let xi = x + i * H, di = dout + i * H
        let m = mean[i], rs = rstd[i]
        for h in cols {
          dw[h] += di[h] * (xi[h] - m) * rs
          db[h] += di[h]
        }
      }
    }
  }

  /// Up to eight consecutive rows of an [N,H] matrix read column by column, row `k` in lane `k`
  /// (missing rows repeat the last one; their lanes are ignored).
  struct RowGroup {
    let p0, p1, p2, p3, p4, p5, p6, p7: UnsafePointer<Float>

    @inline(__always)
    init(_ base: UnsafePointer<Float>, _ i: Int, _ n: Int, _ H: Int) {
      func row(_ k: Int) -> UnsafePointer<Float> { base + (i + min(k, n - 1)) * H }
      p0 = row(0); p1 = row(1); p2 = row(2); p3 = row(3); p4 = row(4); p5 = row(5); p6 = row(6); p7 = row(7)
    }

    @inline(__always)
    func column(_ h: Int) -> SIMD8<Float> {
      SIMD8(p0[h], p1[h], p2[h], p3[h], p4[h], p5[h], p6[h], p7[h])
    }
  }
}
