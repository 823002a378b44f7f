/// The batch-1 sampling step: matrix–vector products split by output rows over two threads,
/// grouped so that one token costs `layers + 1` parallel regions:
///
///     region 1:  gi_0 = W_ih0 x,  gh_l = W_hh_l h_l (every layer; they depend only on old states)
///     region l:  gi_l = W_ih_l h_{l-1}'                        (l = 1..<L)
///     last:      logits = W_cls y
///
/// Every output's arithmetic is fixed by `k` (see `GEMV`), so results do not depend on the split or
/// on `Parallel.threads`, and agree with the batched path up to rounding.
extension StepState {
  /// Rows `0..<rows` split into `parts` ranges at multiples of 4 (GEMV's 4-row blocks).
  @inline(__always)
  static func part(_ p: Int, of parts: Int, rows: Int) -> Range<Int> {
    let groups = (rows + 3) / 4
    let lo = min(rows, groups * p / parts * 4), hi = min(rows, groups * (p + 1) / parts * 4)
    return lo..<hi
  }

  /// `y[r] = Σ_k W[r,k] x[k]` for rows in `range` (W row-major with H columns).
  @inline(__always)
  static func gemv(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                   _ range: Range<Int>, k: Int) {
    if range.isEmpty { return }
    GEMV.dotRows(rows: range.count, k: k, m: w + range.lowerBound * k, ldm: k, x: x, alpha: 1, beta: 0,
                 y: y + range.lowerBound, incy: 1, threads: 1)
  }

  func stepSingle() {
    let lay = m.layout, P = m.params, H = self.H, G = 3 * H, L = self.L, V = self.V
    let parts = Parallel.threads > 1 ? 2 : 1
    EmbeddingLayer.forward(out: x, tok: tokBuf, offset: offBuf, emb: P + lay.emb, offW: P + lay.offW,
                           offB: P + lay.offB, N: 1, H: H)
    LayerNormLayer.forward(out: xn, mean: mean, rstd: rstd, x: x, w: P + lay.normW, b: P + lay.normB, N: 1, H: H)
    let started = self.started
    let hs = h, gi = giAll, gh = ghAll, xn = self.xn
    Parallel.forEach(parts, threads: parts) { p in
      let r = Self.part(p, of: parts, rows: G)
      Self.gemv(P + lay.gru[0].wih, xn, gi, r, k: H)
      if started {
        for l in 0..<L { Self.gemv(P + lay.gru[l].whh, hs[l], gh + l * G, r, k: H) }
      }
    }
    if !started { gh.update(repeating: 0, count: L * G) }
    for l in 0..<L {
      let g = lay.gru[l]
      if l > 0 {
        let inp = UnsafePointer(h[l - 1])
        Parallel.forEach(parts, threads: parts) { p in
          Self.gemv(P + g.wih, inp, gi + l * G, Self.part(p, of: parts, rows: G), k: H)
        }
      }
      GateMath.forward(g: gi + l * G, s: gh + l * G, bih: P + g.bih, bhh: P + g.bhh,
                       hprev: started ? UnsafePointer(h[l]) : nil, hn: hn, h: hNext[l], H: H)
      swap(&h[l], &hNext[l])
    }
    self.started = true
    ReLULayer.forward(out: a, x: h[L - 1], n: H)
    LayerNormLayer.forward(out: y, mean: mean, rstd: rstd, x: a, w: P + lay.extW, b: P + lay.extB, N: 1, H: H)
    let y = self.y, logits = self.logits
    Parallel.forEach(parts, threads: parts) { p in
      Self.gemv(P + lay.cls, y, logits, Self.part(p, of: parts, rows: V), k: H)
    }
    pred[0] = max(0, VectorMath.dot(y, P + lay.offHead, count: H))
  }
}
