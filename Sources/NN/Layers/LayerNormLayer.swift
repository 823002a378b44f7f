import Foundation

/// LayerNorm over the last dimension (PyTorch `LayerNorm(H)`, eps 1e-5, biased variance).
///
/// Shapes: `x`, `out` [N,H]; `w`, `b` [H]; `mean`, `rstd` (N), saved for backward.
///
///     mean = Σ_h x / H;  rstd = 1 / sqrt(Σ_h (x-mean)² / H + eps)
///     out  = (x - mean) * rstd * w + b
enum LayerNormLayer {
  static let eps: Float = 1e-5

  static func forward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>, N: Int, H: Int
  ) {
    Chunks.rows(N, size: 128) { r in
      for i in r {
        let xi = x + i * H
        var s: Float = 0
        for h in 0..<H { s += xi[h] }
        let m = s / Float(H)
        var v: Float = 0
        for h in 0..<H { let d = xi[h] - m; v += d * d }
        let rs = 1 / (v / Float(H) + eps).squareRoot()
        let o = out + i * H
        for h in 0..<H { o[h] = (xi[h] - m) * rs * w[h] + b[h] }
        mean[i] = m
        rstd[i] = rs
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
      for i in r {
        let xi = x + i * H, di = dout + i * H, o = dx + i * H
        let m = mean[i], rs = rstd[i]
        var s1: Float = 0, s2: Float = 0
        for h in 0..<H {
          let xhat = (xi[h] - m) * rs
          let dxhat = di[h] * w[h]
          s1 += dxhat
          s2 += dxhat * xhat
        }
        s1 /= Float(H); s2 /= Float(H)
        for h in 0..<H {
          let xhat = (xi[h] - m) * rs
          let dxhat = di[h] * w[h]
          o[h] += rs * (dxhat - s1 - xhat * s2)
        }
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
}
