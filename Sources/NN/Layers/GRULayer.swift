import Foundation

/// One GRU layer over a whole sequence, time-major (PyTorch `nn.GRU` semantics, gate order r, z, n).
///
/// Shapes: `x`, `hout` [T,B,H] (row `t*B + b`); `wih`, `whh` [3H,H]; `bih`, `bhh` [3H];
/// saved for backward: `gates` [T,B,3H] holding (r, z, n) and `hn` [T,B,H] holding `W_hn h + b_hn`.
///
///     gi = x W_ihᵀ + b_ih                 (all steps: one [T*B,H]x[H,3H] GEMM)
///     gh = h_{t-1} W_hhᵀ + b_hh           (per step: [B,H]x[H,3H])
///     r = σ(gi_r + gh_r);  z = σ(gi_z + gh_z);  n = tanh(gi_n + r * gh_n)
///     h_t = (1 - z) * n + z * h_{t-1}
enum GRULayer {
  /// `h0` [B,H] is the initial state (nil: zeros). `gh` is a [B,3H] scratch buffer. `packedWhh`, if
  /// given, holds `W_hhᵀ` ([H,3H]) prepacked for the per-step GEMMs (same results, no repacking).
  static func forward(
    hout: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, h0: UnsafePointer<Float>?,
    wih: UnsafePointer<Float>, whh: UnsafePointer<Float>, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    gh: UnsafeMutablePointer<Float>, T: Int, B: Int, H: Int, packedWhh: PackedMatrix? = nil
  ) {
    let G = 3 * H
    GEMM.sgemm(transA: false, transB: true, m: T * B, n: G, k: H, alpha: 1, a: x, lda: H, b: wih, ldb: H,
               beta: 0, c: gates, ldc: G)
    for t in 0..<T {
      let hprev: UnsafePointer<Float>? = t == 0 ? h0 : UnsafePointer(hout + (t - 1) * B * H)
      if let hp = hprev, let pw = packedWhh {
        GEMM.sgemm(transA: false, m: B, alpha: 1, a: hp, lda: H, packedB: pw, beta: 0, c: gh, ldc: G)
      } else if let hp = hprev {
        GEMM.sgemm(transA: false, transB: true, m: B, n: G, k: H, alpha: 1, a: hp, lda: H, b: whh, ldb: H,
                   beta: 0, c: gh, ldc: G)
      } else {
        gh.update(repeating: 0, count: B * G)
      }
      Chunks.rows(B, size: 8) { rows in
        for b in rows {
          let row = t * B + b
          GateMath.forward(g: gates + row * G, s: gh + b * G, bih: bih, bhh: bhh,
                           hprev: hprev.map { $0 + b * H }, hn: hn + row * H, h: hout + row * H, H: H)
        }
      }
    }
  }

  /// Backpropagation through time, assuming `h0 = 0` (training).
  ///
  /// `dhout` [T,B,H] holds dL/dh_t from above on entry and is used as the running dL/dh_t (destroyed).
  /// Writes `dx` [T,B,H] (overwritten); accumulates `dwih`, `dwhh`, `dbih`, `dbhh` (`+=`).
  /// Scratch: `dG` [T,B,3H] (gradient of gi), `dHN` [T,B,H] (gradient of gh_n), `dgh` [B,3H].
  /// `packedWhh`, if given, holds `W_hh` ([3H,H]) prepacked for the per-step GEMMs.
  ///
  ///     dn = dh (1-z);  dz = dh (h_{t-1} - n);  dh_{t-1} += dh z + dgh W_hh
  ///     dgi_n = dn (1-n²);  dgh_n = dgi_n r;  dgi_r = dgh_r = dgi_n gh_n r(1-r);  dgi_z = dgh_z = dz z(1-z)
  ///     dW_ih += Σ_t dgiᵀ x_t;  dW_hh += Σ_t dghᵀ h_{t-1};  dx = dgi W_ih
  static func backward(
    dx: UnsafeMutablePointer<Float>,
    dwih: UnsafeMutablePointer<Float>, dwhh: UnsafeMutablePointer<Float>,
    dbih: UnsafeMutablePointer<Float>, dbhh: UnsafeMutablePointer<Float>,
    dhout: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, hout: UnsafePointer<Float>, gates: UnsafePointer<Float>, hn: UnsafePointer<Float>,
    wih: UnsafePointer<Float>, whh: UnsafePointer<Float>,
    dG: UnsafeMutablePointer<Float>, dHN: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>,
    T: Int, B: Int, H: Int, packedWhh: PackedMatrix? = nil
  ) {
    let G = 3 * H, N = T * B
    for t in stride(from: T - 1, through: 0, by: -1) {
      Chunks.rows(B, size: 8) { rows in
        for b in rows {
          let row = t * B + b
          GateMath.backward(
            dgi: dG + row * G, dgh: dgh + b * G, dhn: dHN + row * H,
            dhprevOut: t > 0 ? dhout + (row - B) * H : nil,
            dh: dhout + row * H, g: gates + row * G, hn: hn + row * H,
            hprev: t > 0 ? hout + (row - B) * H : nil, H: H)
        }
      }
      if t > 0, let pw = packedWhh {
        GEMM.sgemm(transA: false, m: B, alpha: 1, a: dgh, lda: G, packedB: pw, beta: 1,
                   c: dhout + (t - 1) * B * H, ldc: H)
      } else if t > 0 {
        GEMM.sgemm(transA: false, transB: false, m: B, n: H, k: G, alpha: 1, a: dgh, lda: G, b: whh, ldb: H,
                   beta: 1, c: dhout + (t - 1) * B * H, ldc: H)
      }
    }
    GEMM.sgemm(transA: true, transB: false, m: G, n: H, k: N, alpha: 1, a: dG, lda: G, b: x, ldb: H,
               beta: 1, c: dwih, ldc: H)
    GEMM.sgemm(transA: false, transB: false, m: N, n: H, k: G, alpha: 1, a: dG, lda: G, b: wih, ldb: H,
               beta: 0, c: dx, ldc: H)
    if T > 1 {
      let k = (T - 1) * B
      GEMM.sgemm(transA: true, transB: false, m: 2 * H, n: H, k: k, alpha: 1, a: dG + B * G, lda: G,
                 b: hout, ldb: H, beta: 1, c: dwhh, ldc: H)
      GEMM.sgemm(transA: true, transB: false, m: H, n: H, k: k, alpha: 1, a: dHN + B * H, lda: H,
                 b: hout, ldb: H, beta: 1, c: dwhh + 2 * H * H, ldc: H)
    }
    addColumnSums(dG, rows: N, cols: G, ld: G, into: dbih)
    addColumnSums(dG, rows: N, cols: 2 * H, ld: G, into: dbhh)
    addColumnSums(dHN, rows: N, cols: H, ld: H, into: dbhh + 2 * H)
  }
}
