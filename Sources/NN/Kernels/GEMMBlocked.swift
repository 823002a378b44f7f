/// The cache-blocked, packed, multi-threaded SGEMM driver behind `GEMM.sgemm` (m, n ≥ 2).
///
/// Loop structure (Goto/BLIS): K is cut into blocks of `kcMax` (in order, never split across
/// threads); for each K block, op(B) is packed into 16-column panels (phase 1, in parallel), then
/// the output is cut into a grid of row blocks (≤ `mcMax` rows, packed A in L2) × column blocks, and
/// the grid cells run in parallel (phase 2), each sweeping 6×16 micro-tiles with the packed B panel
/// in L1. When there are few row blocks (small m, e.g. a GRU step with m = batch), the columns are
/// split too and op(A) is packed once, shared.
///
/// Determinism: every output element is accumulated by the same micro-kernel over the same K blocks
/// in the same order whatever the grid, so results are bit-identical for any `Parallel.threads`.
enum GEMMBlocked {
  /// K block: a 6×kc A micro-panel (6 KiB) and a kc×16 B panel (16 KiB) fit in L1 (32 KiB).
  nonisolated(unsafe) static var kcMax = 256
  /// Row block: mc×kc packed A (≈ 144 KiB) stays in L2 (512 KiB per core).
  nonisolated(unsafe) static var mcMax = 144

  static func run(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
  ) {
    let mr = MicroKernel.mr, nr = MicroKernel.nr
    let threads = max(1, threads)
    let kcMax = max(1, self.kcMax)
    let mPanels = (m + mr - 1) / mr, nPanels = (n + nr - 1) / nr

    // The output grid: row blocks of whole micro-panels, equal-sized; split columns when the
    // row blocks alone cannot keep the threads busy.
    var rowBlocks = (m + mcMax - 1) / mcMax
    let small = rowBlocks <= 2
    let wanted = threads > 1 ? (small ? 2 : 4) * threads : 1
    var colBlocks = rowBlocks < wanted ? min(nPanels, (wanted + rowBlocks - 1) / rowBlocks) : 1
    let rowPanelsPerBlock = (mPanels + rowBlocks - 1) / rowBlocks
    rowBlocks = (mPanels + rowPanelsPerBlock - 1) / rowPanelsPerBlock
    let colPanelsPerBlock = (nPanels + colBlocks - 1) / colBlocks
    colBlocks = (nPanels + colPanelsPerBlock - 1) / colPanelsPerBlock
    let sharedA = colBlocks > 1

    let kcTop = min(kcMax, k)

    if small {
      // Small m (e.g. a GRU step, m = batch): one parallel region; each cell runs the whole K loop,
      // packing its own rows of A and its own panels of B (no barrier between K blocks).
      Parallel.forEach(rowBlocks * colBlocks, threads: threads) { cell in
        let ib = cell / colBlocks, jb = cell % colBlocks
        let ip0 = ib * rowPanelsPerBlock, ip1 = min(mPanels, ip0 + rowPanelsPerBlock)
        let jp0 = jb * colPanelsPerBlock, jp1 = min(nPanels, jp0 + colPanelsPerBlock)
        let aSize = (ip1 - ip0) * mr * kcTop, bSize = (jp1 - jp0) * nr * kcTop
        Scratch.withFloats(aSize + bSize + mr * nr) { scratch in
          let packedA = scratch, packedB = scratch + aSize, tile = scratch + aSize + bSize
          var p0 = 0
          while p0 < k {
            let kc = min(kcMax, k - p0)
            GEMMPacking.packA(
              transA: transA, a: a, lda: lda, i0: ip0 * mr, rows: min(m, ip1 * mr) - ip0 * mr,
              p0: p0, kc: kc, dst: packedA)
            for jp in jp0..<jp1 {
              GEMMPacking.packBPanel(
                transB: transB, b: b, ldb: ldb, p0: p0, kc: kc, j0: jp * nr, cols: min(nr, n - jp * nr),
                dst: packedB + (jp - jp0) * kc * nr)
            }
            sweep(
              kc: kc, packedA: packedA, ip0: ip0, ip1: ip1, m: m, jp0: jp0, jp1: jp1, n: n,
              bPanel: { jp in (UnsafePointer(packedB + (jp - jp0) * kc * nr), nr) },
              alpha: alpha, beta: p0 == 0 ? beta : 1, c: c, ldc: ldc, tile: tile)
            p0 += kc
          }
        }
      }
      return
    }

    Scratch.withFloats(kcTop * nr * nPanels) { packedB in
      Scratch.withFloats(sharedA ? kcTop * mr * mPanels : 0) { sharedPackedA in
        var p0 = 0
        while p0 < k {
          let kc = min(kcMax, k - p0)
          let betaNow: Float = p0 == 0 ? beta : 1

          // Phase 1: pack op(B) panels (and the shared A), split into a few jobs.
          let bJobs = min(nPanels, 2 * threads)
          let aJobs = sharedA ? min(mPanels, 2 * threads) : 0
          Parallel.forEach(bJobs + aJobs, threads: threads) { job in
            if job < bJobs {
              let lo = nPanels * job / bJobs, hi = nPanels * (job + 1) / bJobs
              for jp in lo..<hi {
                GEMMPacking.packBPanel(
                  transB: transB, b: b, ldb: ldb, p0: p0, kc: kc, j0: jp * nr,
                  cols: min(nr, n - jp * nr), dst: packedB + jp * kc * nr)
              }
            } else {
              let aj = job - bJobs
              let lo = mPanels * aj / aJobs, hi = mPanels * (aj + 1) / aJobs
              if hi > lo {
                GEMMPacking.packA(
                  transA: transA, a: a, lda: lda, i0: lo * mr, rows: min(m, hi * mr) - lo * mr,
                  p0: p0, kc: kc, dst: sharedPackedA + lo * mr * kc)
              }
            }
          }

          // Phase 2: the output grid.
          Parallel.forEach(rowBlocks * colBlocks, threads: threads) { cell in
            let ib = cell / colBlocks, jb = cell % colBlocks
            let ip0 = ib * rowPanelsPerBlock, ip1 = min(mPanels, ip0 + rowPanelsPerBlock)
            let jp0 = jb * colPanelsPerBlock, jp1 = min(nPanels, jp0 + colPanelsPerBlock)
            let aSize = sharedA ? 0 : (ip1 - ip0) * mr * kc
            Scratch.withFloats(aSize + mr * nr) { scratch in
              let tile = scratch + aSize
              let packedA: UnsafePointer<Float>
              if sharedA {
                packedA = UnsafePointer(sharedPackedA + ip0 * mr * kc)
              } else {
                GEMMPacking.packA(
                  transA: transA, a: a, lda: lda, i0: ip0 * mr, rows: min(m, ip1 * mr) - ip0 * mr,
                  p0: p0, kc: kc, dst: scratch)
                packedA = UnsafePointer(scratch)
              }
              sweep(
                kc: kc, packedA: packedA, ip0: ip0, ip1: ip1, m: m, jp0: jp0, jp1: jp1, n: n,
                bPanel: { jp in (UnsafePointer(packedB + jp * kc * nr), nr) },
                alpha: alpha, beta: betaNow, c: c, ldc: ldc, tile: tile)
            }
          }
          p0 += kc
        }
      }
    }
  }

  /// Runs the micro-kernels over row panels `ip0..<ip1` (packed consecutively at `packedA`) ×
  /// column panels `jp0..<jp1` (`bPanel(jp)` gives the panel's first row and row stride), column
  /// panel by column panel so each B panel stays in L1 while the A block streams from L2.
  @inline(__always)
  static func sweep(
    kc: Int, packedA: UnsafePointer<Float>, ip0: Int, ip1: Int, m: Int, jp0: Int, jp1: Int, n: Int,
    bPanel: (Int) -> (UnsafePointer<Float>, Int), alpha: Float, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int, tile: UnsafeMutablePointer<Float>
  ) {
    let mr = MicroKernel.mr, nr = MicroKernel.nr
    for jp in jp0..<jp1 {
      let j0 = jp * nr, cols = min(nr, n - j0)
      let (bp, bStride) = bPanel(jp)
      for ip in ip0..<ip1 {
        let i0 = ip * mr, rows = min(mr, m - i0)
        let aPanel = packedA + (ip - ip0) * mr * kc
        let cTile = c + i0 * ldc + j0
        if rows == mr && cols == nr {
          MicroKernel.full(
            kc: kc, a: aPanel, b: bp, bStride: bStride, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
        } else {
          MicroKernel.edge(
            kc: kc, a: aPanel, b: bp, bStride: bStride, c: cTile, ldc: ldc, alpha: alpha, beta: beta,
            rows: rows, cols: cols, tile: tile)
        }
      }
    }
  }
}
