extension GEMMBlocked {
  /// One thread's share of `C = alpha · A · packedB + beta · C`: only the columns of packed panels
  /// `jp0 ..< jp1` (C columns `16·jp0 ..< min(16·jp1, packedB.n)`), all `m` rows, on the calling
  /// thread. A is row-major `[m, lda]`, packed in blocks of `mcMax` rows (which stay in L2 while
  /// the panels of B stream through L1), or read in place when it has at most `mcMax` rows.
  ///
  /// Every output element gets exactly the arithmetic of `GEMM.sgemm(…, packedB:)` (same
  /// micro-kernel, same K blocks in the same order), so splitting the panels among threads in any
  /// way gives the bits a single call gives.
  static func sweepPanels(
    m: Int, a: UnsafePointer<Float>, lda: Int, packed: PackedMatrix, jp0: Int, jp1: Int,
    alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let mr = MicroKernel.mr, nr = MicroKernel.nr
    let k = packed.k, kcMax = packed.kc
    if m <= 0 || jp0 >= jp1 { return }
    let mPanels = (m + mr - 1) / mr
    let block = max(1, mcMax / mr)  // row panels per block
    let kcTop = min(kcMax, k)
    // Few rows (a GRU step): A is read in place, as the small-m schedule of `run` does, and only a
    // ragged last panel is packed (zero rows), so A is not copied at every step.
    let inPlace = mPanels <= block, last = mPanels - 1, ragged = m % mr != 0
    let aFloats = inPlace ? (ragged ? mr * kcTop : 0) : block * mr * kcTop
    Scratch.withFloats(aFloats + mr * nr) { scratch in
      let tile = scratch + aFloats
      var ip0 = 0
      while ip0 < mPanels {
        let ip1 = min(mPanels, ip0 + block)
        var p0 = 0, kb = 0
        while p0 < k {
          let kc = min(kcMax, k - p0)
          let first = ip0, start = p0
          let aPanel: (Int) -> APanel
          if inPlace {
            if ragged {
              GEMMPacking.packA(
                transA: false, a: a, lda: lda, i0: last * mr, rows: m - last * mr, p0: p0, kc: kc, dst: scratch)
            }
            aPanel = { ip in
              ragged && ip == last ? (UnsafePointer(scratch), 1, mr) : (a + ip * mr * lda + start, lda, 1)
            }
          } else {
            GEMMPacking.packA(
              transA: false, a: a, lda: lda, i0: ip0 * mr, rows: min(m, ip1 * mr) - ip0 * mr, p0: p0, kc: kc,
              dst: scratch)
            aPanel = { ip in (UnsafePointer(scratch + (ip - first) * mr * kc), 1, mr) }
          }
          sweep(
            kc: kc, aPanel: aPanel, ip0: ip0, ip1: ip1, m: m, jp0: jp0, jp1: jp1, n: packed.n,
            bPanels: UnsafePointer(packed.block(kb)), alpha: alpha, beta: p0 == 0 ? beta : 1, c: c, ldc: ldc,
            tile: tile)
          p0 += kc
          kb += 1
        }
        ip0 = ip1
      }
    }
  }
}
