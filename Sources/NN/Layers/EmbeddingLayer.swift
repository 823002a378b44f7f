/// Token embedding plus the offset projection: `out = emb(tok) + off(offset)`.
///
/// Shapes: `tok`, `offset` (N) — one entry per position (N = T*B, time-major); `emb` [V,H];
/// `offW` [H,1] (i.e. H values), `offB` [H]; `out` [N,H].
///
///     out[i,h] = emb[tok[i],h] + offset[i] * offW[h] + offB[h]
enum EmbeddingLayer {
  static func forward(
    out: UnsafeMutablePointer<Float>, tok: UnsafePointer<Int32>, offset: UnsafePointer<Float>,
    emb: UnsafePointer<Float>, offW: UnsafePointer<Float>, offB: UnsafePointer<Float>, N: Int, H: Int
  ) {
    Chunks.rows(N, size: 256) { r in
      for i in r {
        let e = emb + Int(tok[i]) * H
        let o = out + i * H
        let x = offset[i]
        for h in 0..<H { o[h] = e[h] + x * offW[h] + offB[h] }
      }
    }
  }

  /// Accumulates `dEmb[tok[i]] += dout[i]`, `dOffW[h] += Σ dout[i,h]*offset[i]`, `dOffB[h] += Σ dout[i,h]`.
  /// Parallel over column blocks; rows in order (deterministic).
  static func backward(
    dout: UnsafePointer<Float>, tok: UnsafePointer<Int32>, offset: UnsafePointer<Float>,
    dEmb: UnsafeMutablePointer<Float>, dOffW: UnsafeMutablePointer<Float>, dOffB: UnsafeMutablePointer<Float>,
    N: Int, H: Int
  ) {
    Chunks.columns(H) { cols in
      for i in 0..<N {
        let d = dout + i * H
        let e = dEmb + Int(tok[i]) * H
        let x = offset[i]
        for h in cols {
          e[h] += d[h]
          dOffW[h] += d[h] * x
          dOffB[h] += d[h]
        }
      }
    }
  }
}
