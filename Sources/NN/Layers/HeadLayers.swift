/// The two output heads on `y` [N,H].
///
///     logits = y W_clsᵀ            W_cls [V,H]   (fc_class, no bias)
///     pre    = y w_off              w_off [1,H]   (fc_offset.0, no bias)
///     pred   = max(0, pre)                        (fc_offset.1 = ReLU)
enum ClassHead {
  static func forward(logits: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, w: UnsafePointer<Float>,
                      N: Int, H: Int, V: Int) {
    GEMM.sgemm(transA: false, transB: true, m: N, n: V, k: H, alpha: 1, a: y, lda: H, b: w, ldb: H,
               beta: 0, c: logits, ldc: V)
  }
  /// `dy = dlogits W_cls` (overwritten), `dw += dlogitsᵀ y`.
  static func backward(dy: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>,
                       dlogits: UnsafePointer<Float>, y: UnsafePointer<Float>, w: UnsafePointer<Float>,
                       N: Int, H: Int, V: Int) {
    GEMM.sgemm(transA: false, transB: false, m: N, n: H, k: V, alpha: 1, a: dlogits, lda: V, b: w, ldb: H,
               beta: 0, c: dy, ldc: H)
    GEMM.sgemm(transA: true, transB: false, m: V, n: H, k: N, alpha: 1, a: dlogits, lda: V, b: y, ldb: H,
               beta: 1, c: dw, ldc: H)
  }
}

enum OffsetHead {
  static func forward(pred: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, w: UnsafePointer<Float>,
                      N: Int, H: Int) {
    Chunks.rows(N, size: 512) { r in
      for i in r {
        let yi = y + i * H
        var s: Float = 0
        for h in 0..<H { s += yi[h] * w[h] }
        pred[i] = max(0, s)
      }
    }
  }
  /// With `dpred` = dL/dpred: `dpre = dpred * (pred > 0)`; `dy += dpre w`; `dw += Σ_i dpre y_i`.
  static func backward(dy: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>,
                       dpred: UnsafePointer<Float>, pred: UnsafePointer<Float>, y: UnsafePointer<Float>,
                       w: UnsafePointer<Float>, N: Int, H: Int) {
    Chunks.rows(N, size: 512) { r in
      for i in r where pred[i] > 0 {
        let d = dpred[i], di = dy + i * H
        for h in 0..<H { di[h] += d * w[h] }
      }
    }
    Chunks.columns(H) { cols in
      for i in 0..<N where pred[i] > 0 {
        let d = dpred[i], yi = y + i * H
        for h in cols { dw[h] += d * yi[h] }
      }
    }
  }
}
