import Foundation

/// One GRU layer over a whole sequence, time-major (PyTorch `nn.GRU` semantics, gate order r, z, n).
///
/// Rows: `steps` (see `StepRows`) says which rows of the activations are time step `t` and which
/// row each continues; `.uniform(T:B:)` is a [T,B] batch (row `t*B + b`), and sequences of different
/// lengths are packed, so the padding after a short sequence is never computed.
///
/// Shapes: `x`, `hout` [rows,H]; `wih`, `whh` [3H,H]; `bih`, `bhh` [3H]; saved for backward: `gates`
/// [rows,3H] holding (r, z, n) and `hn` [rows,H] holding `W_hn h + b_hn`.
///
///     gi = x W_ihᵀ + b_ih                 (chunks of steps: [rows,H]x[H,3H] GEMMs)
///     gh = h_{t-1} W_hhᵀ + b_hh           (per step: [rows of t,H]x[H,3H])
///     r = σ(gi_r + gh_r);  z = σ(gi_z + gh_z);  n = tanh(gi_n + r * gh_n)
///     h_t = (1 - z) * n + z * h_{t-1}
enum GRULayer {
  /// `h0` [rows of step 0, H] is the initial state (nil: zeros). `weights`, if given, holds this
  /// layer's `W_ih` and `W_hh` packed for `GRURecurrence` (`GRURecurrentWeights.pack(wih:whh:)`);
  /// nil packs here.
  /// The time steps run on `Team.shared` (see `GRURecurrence`).
  static func forward(
    hout: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, h0: UnsafePointer<Float>?,
    wih: UnsafePointer<Float>, whh: UnsafePointer<Float>, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    steps: StepRows, H: Int, weights: GRURecurrentWeights? = nil
  ) {
    let w = weights ?? {
      let w = GRURecurrentWeights(H: H, training: false)
      w.pack(wih: wih, whh: whh)
      return w
    }()
    GRURecurrence.forward(x: x, gates: gates, hn: hn, hout: hout, h0: h0, bih: bih, bhh: bhh, weights: w,
                          steps: steps, H: H)
  }

  /// Backpropagation through time, assuming `h0 = 0` (training).
  ///
  /// `dhout` [rows,H] holds dL/dh_t from above on entry and is used as the running dL/dh_t (destroyed).
  /// Writes `dx` [rows,H] (overwritten); accumulates `dwih`, `dwhh`, `dbih`, `dbhh` (`+=`).
  /// Scratch: `dG` [rows,3H] (gradient of gi), `dHN` [rows,H] (gradient of gh_n). `weights`, if given,
  /// holds `W_hh` packed for the steps (built with `training: true`); nil packs it here.
  ///
  ///     dn = dh (1-z);  dz = dh (h_{t-1} - n);  dh_{t-1} += dh z + dgh W_hh
  ///     dgi_n = dn (1-n²);  dgh_n = dgi_n r;  dgi_r = dgh_r = dgi_n gh_n r(1-r);  dgi_z = dgh_z = dz z(1-z)
  ///     dW_ih += Σ_t dgiᵀ x_t;  dW_hh += Σ_t dghᵀ h_{t-1};  dx = dgi W_ih
  ///
  /// `dW_hh` pairs each row with the row it continues: when the steps differ in width, those rows
  /// of `hout` are first gathered into `dx` (free until `dx` is computed last).
  static func backward(
    dx: UnsafeMutablePointer<Float>,
    dwih: UnsafeMutablePointer<Float>, dwhh: UnsafeMutablePointer<Float>,
    dbih: UnsafeMutablePointer<Float>, dbhh: UnsafeMutablePointer<Float>,
    dhout: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, hout: UnsafePointer<Float>, gates: UnsafePointer<Float>, hn: UnsafePointer<Float>,
    wih: UnsafePointer<Float>, whh: UnsafePointer<Float>,
    dG: UnsafeMutablePointer<Float>, dHN: UnsafeMutablePointer<Float>,
    steps: StepRows, H: Int, weights: GRURecurrentWeights? = nil
  ) {
    let G = 3 * H, N = steps.rows
    if N == 0 { return }
    let w = weights ?? {
      let w = GRURecurrentWeights(H: H, training: true)
      w.pack(wih: wih, whh: whh)
      return w
    }()
    StepProfile.measure(".. steps bwd") {
      GRURecurrence.backward(dhout: dhout, dG: dG, dHN: dHN, dbih: dbih, dbhh: dbhh, hout: hout, gates: gates,
                             hn: hn, weights: w, steps: steps, H: H)
    }
    StepProfile.measure(".. dWhh") {
      if steps.steps > 1 {
        // Row r >= starts[1] of dG pairs with h_{t-1}: row r - starts[1] of `hprev`.
        let first = steps.starts[1], k = N - first
        let hprev: UnsafePointer<Float>
        if steps.isUniform {
          hprev = hout
        } else {
          for t in 1..<steps.steps {
            (dx + (steps.starts[t] - first) * H).update(from: hout + steps.starts[t - 1] * H,
                                                         count: steps.counts[t] * H)
          }
          hprev = UnsafePointer(dx)
        }
        GEMM.sgemm(transA: true, transB: false, m: 2 * H, n: H, k: k, alpha: 1, a: dG + first * G, lda: G,
                   b: hprev, ldb: H, beta: 1, c: dwhh, ldc: H)
        GEMM.sgemm(transA: true, transB: false, m: H, n: H, k: k, alpha: 1, a: dHN + first * H, lda: H,
                   b: hprev, ldb: H, beta: 1, c: dwhh + 2 * H * H, ldc: H)
      }
    }
    StepProfile.measure(".. dWih") {
      GEMM.sgemm(transA: true, transB: false, m: G, n: H, k: N, alpha: 1, a: dG, lda: G, b: x, ldb: H,
                 beta: 1, c: dwih, ldc: H)
    }
    StepProfile.measure(".. dx") {
      GEMM.sgemm(transA: false, transB: false, m: N, n: H, k: G, alpha: 1, a: dG, lda: G, b: wih, ldb: H,
                 beta: 0, c: dx, ldc: H)
    }
  }
}
