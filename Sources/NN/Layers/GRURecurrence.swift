import Foundation

/// The sequential part of a GRU layer: the T recurrent steps, forward and backward, on a `Team`.
///
/// Each member of the team owns a fixed block of hidden units (whole 16-unit panels) for the whole
/// sequence: it computes the recurrent product for its units' r, z, n columns, their gate math and
/// their share of `h_t` (forward), or their gate gradients and their columns of `dh_{t-1}`
/// (backward), then meets the others at one barrier per step. A member's slice of `W_hh` stays in
/// its core's L2 cache across steps, and a step costs one barrier instead of two thread-pool
/// dispatches. Every element is computed with the same arithmetic whatever the split, so results
/// are bit-identical for any number of members.
enum GRURecurrence {
  /// Forward over the layer input `x` [rows, H] laid out by `steps`: writes `gates` [rows, 3H] =
  /// (r, z, n), `hn` [rows, H] (= `W_hn h + b_hn`) and `hout` [rows, H]. `h0` [counts[0], H] or nil
  /// (zeros). Row `starts[t] + j` continues the state of row `starts[t-1] + j`.
  ///
  /// The input projection `x W_ihᵀ` is computed a chunk of time steps at a time by each member for
  /// its own gate columns, just before those steps, so it is read back from cache, not memory.
  static func forward(
    x: UnsafePointer<Float>, gates: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>,
    hout: UnsafeMutablePointer<Float>, h0: UnsafePointer<Float>?, bih: UnsafePointer<Float>,
    bhh: UnsafePointer<Float>, weights w: GRURecurrentWeights, steps: StepRows, H: Int
  ) {
    let G = 3 * H, P = w.unitPanels, ldgh = 48 * P
    let T = steps.steps, widest = steps.widest
    if T == 0 { return }
    let members = teamSize(P)
    let chunkMax = max(chunkRows, widest)  // rows of input projection per chunk
    let interleaved = GateMath.Layout(gate: 16, panel: 48)
    Scratch.withFloats(widest * ldgh + chunkMax * ldgh) { gh in
      let gi = gh + widest * ldgh
      Team.shared.run(members: members) { member in
        let p0 = P * member.index / members, p1 = P * (member.index + 1) / members
        let u0 = 16 * p0, units = min(16 * p1, H) - u0
        var t0 = 0
        while t0 < T {
          var t1 = t0 + 1
          while t1 < T && steps.starts[t1 + 1] - steps.starts[t0] <= chunkMax { t1 += 1 }
          let r0 = steps.starts[t0]
          GEMMBlocked.sweepPanels(
            m: steps.starts[t1] - r0, a: x + r0 * H, lda: H, packed: w.input, jp0: 3 * p0, jp1: 3 * p1,
            alpha: 1, beta: 0, c: gi, ldc: ldgh)
          for t in t0..<t1 {
            let rows = steps.counts[t], first = steps.starts[t]
            let hprev: UnsafePointer<Float>? = t == 0 ? h0 : UnsafePointer(hout + steps.starts[t - 1] * H)
            if let hp = hprev {
              GEMMBlocked.sweepPanels(
                m: rows, a: hp, lda: H, packed: w.forward, jp0: 3 * p0, jp1: 3 * p1, alpha: 1, beta: 0, c: gh,
                ldc: ldgh)
            } else {
              for b in 0..<rows { (gh + b * ldgh + 48 * p0).update(repeating: 0, count: 48 * (p1 - p0)) }
            }
            for b in 0..<rows {
              let row = first + b
              GateMath.forward(
                gi: gi + (row - r0) * ldgh + 48 * p0, giLayout: interleaved, g: gates + row * G + u0,
                gStride: H, s: gh + b * ldgh + 48 * p0, sLayout: interleaved, bih: bih + u0, bhh: bhh + u0,
                hprev: hprev.map { $0 + b * H + u0 }, hn: hn + row * H + u0, h: hout + row * H + u0,
                count: units)
            }
            member.barrier()
          }
          t0 = t1
        }
      }
    }
  }

  /// Rows (time steps × batch) of input projection computed per chunk (≈ 0.8 MB of pre-activations
  /// per member for H 256, within L2 + L3); a chunk holds at least one whole step.
  nonisolated(unsafe) static var chunkRows = 512

  /// Backward steps (from the last down to 0, `h0 = 0`), rows laid out by `steps`. `dhout`
  /// [rows, H] holds dL/dh from above on entry and is used as the running dL/dh. Writes `dG`
  /// [rows, 3H] (gradient of `x W_ihᵀ + b_ih`) and `dHN` [rows, H] (gradient of `W_hn h + b_hn`);
  /// the gradient of `W_hh h + b_hh` is `dG` for r and z and `dHN` for n. Adds the bias gradients
  /// (sums of those rows) to `dbih` and `dbhh`: each unit's sum runs over the rows in a fixed order
  /// (steps descending, rows ascending) whatever the split.
  static func backward(
    dhout: UnsafeMutablePointer<Float>, dG: UnsafeMutablePointer<Float>, dHN: UnsafeMutablePointer<Float>,
    dbih: UnsafeMutablePointer<Float>, dbhh: UnsafeMutablePointer<Float>,
    hout: UnsafePointer<Float>, gates: UnsafePointer<Float>, hn: UnsafePointer<Float>,
    weights w: GRURecurrentWeights, steps: StepRows, H: Int
  ) {
    guard let packed = w.backward else { preconditionFailure("GRURecurrentWeights built without backward") }
    let G = 3 * H, P = w.unitPanels
    let T = steps.steps, widest = steps.widest
    if T == 0 { return }
    let members = teamSize(P)
    // dgh of step t in buffer t % 2: a member may start step t-1 while another still reads step t's.
    Scratch.withFloats(2 * widest * G) { dgh in
      Team.shared.run(members: members) { member in
        let p0 = P * member.index / members, p1 = P * (member.index + 1) / members
        let u0 = 16 * p0, units = min(16 * p1, H) - u0
        // Bias sums of this member's units: r, z, n of dG, then dHN.
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: 4 * units)
        sums.initialize(repeating: 0, count: 4 * units)
        defer { sums.deallocate() }
        for t in stride(from: T - 1, through: 0, by: -1) {
          let buf = dgh + (t & 1) * widest * G
          let rows = steps.counts[t], first = steps.starts[t], prev = t > 0 ? steps.starts[t - 1] : 0
          for b in 0..<rows {
            let row = first + b, prow = prev + b
            GateMath.backward(
              dgi: dG + row * G + u0, dgh: buf + b * G + u0, dhn: dHN + row * H + u0,
              dhprevOut: t > 0 ? dhout + prow * H + u0 : nil, dh: dhout + row * H + u0,
              g: gates + row * G + u0, hn: hn + row * H + u0, hprev: t > 0 ? hout + prow * H + u0 : nil,
              H: H, count: units)
            for k in 0..<3 { VectorMath.axpy(1, dG + row * G + k * H + u0, sums + k * units, count: units) }
            VectorMath.axpy(1, dHN + row * H + u0, sums + 3 * units, count: units)
          }
          if t > 0 {
            member.barrier()
            GEMMBlocked.sweepPanels(
              m: rows, a: buf, lda: G, packed: packed, jp0: p0, jp1: p1, alpha: 1, beta: 1,
              c: dhout + prev * H, ldc: H)
          }
        }
        for k in 0..<3 {
          VectorMath.axpy(1, sums + k * units, dbih + k * H + u0, count: units)
          VectorMath.axpy(1, sums + (k == 2 ? 3 : k) * units, dbhh + k * H + u0, count: units)
        }
      }
    }
  }

  /// Members for `panels` unit panels: `Parallel.threads`, but never more than the machine's cores
  /// (spinning members must not wait for each other's time slices) or the panels.
  static func teamSize(_ panels: Int) -> Int {
    max(1, min(Parallel.threads, panels, ProcessInfo.processInfo.activeProcessorCount))
  }
}

/// One layer's `W_hh` packed for `GRURecurrence`: repack whenever the weights change.
///
/// - `forward`: op(B) = `W_hhᵀ` [H, 48·P] with the gate columns interleaved by 16-unit panels:
///   column `48p + 16g + l` is gate `g` (r, z, n) of unit `16p + l` (zeros past H), so a member's
///   units are a contiguous run of packed panels and its `gh` a contiguous run of columns;
/// - `input`: `W_ihᵀ` in the same gate-interleaved column order;
/// - `backward` (training): `W_hh` [3H, H] as is (output columns are units).
final class GRURecurrentWeights {
  let H: Int
  /// 16-unit panels (the last may be ragged).
  let unitPanels: Int
  let forward: PackedMatrix, input: PackedMatrix
  let backward: PackedMatrix?
  private let rows: UnsafeMutablePointer<Float>

  init(H: Int, training: Bool) {
    self.H = H
    unitPanels = (H + 15) / 16
    forward = PackedMatrix(k: H, n: 48 * unitPanels)
    input = PackedMatrix(k: H, n: 48 * unitPanels)
    backward = training ? PackedMatrix(k: 3 * H, n: H) : nil
    rows = .allocate(capacity: 48 * unitPanels * H)
    rows.initialize(repeating: 0, count: 48 * unitPanels * H)
  }

  deinit { rows.deallocate() }

  /// Packs `wih` and `whh` [3H, H] (row-major, PyTorch layout).
  func pack(wih: UnsafePointer<Float>, whh: UnsafePointer<Float>) {
    packInterleaved(wih, into: input)
    packInterleaved(whh, into: forward)
    backward?.pack(transB: false, b: whh, ldb: H)
  }

  /// Packs `W[3H, H]ᵀ` with the gate columns interleaved by 16-unit panels.
  private func packInterleaved(_ w: UnsafePointer<Float>, into packed: PackedMatrix) {
    for p in 0..<unitPanels {
      for g in 0..<3 {
        for l in 0..<16 {
          let dst = rows + (48 * p + 16 * g + l) * H, u = 16 * p + l
          if u < H {
            dst.update(from: w + (g * H + u) * H, count: H)
          } else {
            dst.update(repeating: 0, count: H)
          }
        }
      }
    }
    packed.pack(transB: true, b: rows, ldb: H)
  }
}
