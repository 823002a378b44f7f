/// The cache-blocked, multi-threaded SGEMM driver behind `GEMM.sgemm` (m, n ≥ 2).
///
/// Loop structure (Goto/BLIS): K is cut into blocks of `kcMax` (in order, never split across
/// threads); op(B) is packed into 16-column panels (kc×16, kept in L1 by the micro-kernel) unless
/// it comes prepacked (`PackedMatrix`); the output is cut into a grid of row blocks (≤ `mcMax`
/// rows, whose A stays in L2) × column blocks, and grid cells run in parallel.
///
/// Two schedules:
/// - small m (≤ 2 row blocks, e.g. a GRU step with m = batch): one parallel region; each cell runs
///   the whole K loop, packs only its own B panels, and reads a row-major A in place (only a ragged
///   last 6-row panel is packed), so nothing is packed twice across column cells;
/// - large m: for each group of K blocks, B is packed once, shared (phase 1, in parallel), then the
///   grid runs (phase 2), each cell packing its row block of A for each K block of the group.
///
/// Determinism: every output element is accumulated by the same micro-kernel over the same K blocks
/// in the same order whatever the grid or the schedule, so results are bit-identical for any thread
/// count (and with or without a prepacked B).
enum GEMMBlocked {
  /// K block: a 6×kc A micro-panel (6 KiB) and a kc×16 B panel (16 KiB) fit in L1 (32 KiB).
  nonisolated(unsafe) static var kcMax = 256
  /// Row block: mc×kc of packed A (≈ 144 KiB) stays in L2 (512 KiB per core).
  nonisolated(unsafe) static var mcMax = 144
  /// Packed B of one group of K blocks in the large-m schedule (floats; 2 MiB, within L3).
  nonisolated(unsafe) static var groupFloats = 1 << 19

  /// Where a micro-panel of op(A) lives: `(pointer, aRow, aStep)` as `MicroKernel.full` takes it.
  typealias APanel = (UnsafePointer<Float>, Int, Int)

  static func run(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int, packed: PackedMatrix? = nil
  ) {
    let mr = MicroKernel.mr, nr = MicroKernel.nr
    let threads = max(1, threads)
    let kcMax = packed?.kc ?? max(1, self.kcMax)
    let mPanels = (m + mr - 1) / mr, nPanels = (n + nr - 1) / nr

    // The output grid: row blocks of whole micro-panels, equal-sized; split columns when the
    // row blocks alone cannot keep the threads busy.
    // Large m: a whole number of row blocks per thread, and columns split only when there are
    // fewer than two row blocks per thread (a column split packs each row block of A again).
    var rowBlocks = (m + mcMax - 1) / mcMax
    let small = rowBlocks <= 2
    if !small { rowBlocks = (rowBlocks + threads - 1) / threads * threads }
    let wanted = threads > 1 ? 2 * threads : 1
    var colBlocks = rowBlocks < wanted ? min(nPanels, (wanted + rowBlocks - 1) / rowBlocks) : 1
    let rowPanelsPerBlock = (mPanels + rowBlocks - 1) / rowBlocks
    rowBlocks = (mPanels + rowPanelsPerBlock - 1) / rowPanelsPerBlock
    let colPanelsPerBlock = (nPanels + colBlocks - 1) / colBlocks
    colBlocks = (nPanels + colPanelsPerBlock - 1) / colPanelsPerBlock
    let kcTop = min(kcMax, k)
    let directA = small && !transA
    let raggedA = m % mr != 0

    /// Floats of A scratch for a cell of `panels` row panels.
    func aScratch(_ panels: Int) -> Int { directA ? (raggedA ? mr * kcTop : 0) : panels * mr * kcTop }

    /// Packs what a cell needs of A for K block `p0` into `scratch`; returns the panel locator.
    func prepareA(ip0: Int, ip1: Int, p0: Int, kc: Int, scratch: UnsafeMutablePointer<Float>)
      -> (Int) -> APanel
    {
      if directA {
        let last = mPanels - 1
        if raggedA && ip1 == mPanels {
          GEMMPacking.packA(
            transA: false, a: a, lda: lda, i0: last * mr, rows: m - last * mr, p0: p0, kc: kc,
            dst: scratch)
        }
        return { ip in
          raggedA && ip == last ? (UnsafePointer(scratch), 1, mr) : (a + ip * mr * lda + p0, lda, 1)
        }
      }
      GEMMPacking.packA(
        transA: transA, a: a, lda: lda, i0: ip0 * mr, rows: min(m, ip1 * mr) - ip0 * mr, p0: p0, kc: kc,
        dst: scratch)
      return { ip in (UnsafePointer(scratch + (ip - ip0) * mr * kc), 1, mr) }
    }

    if small {
      Parallel.forEach(rowBlocks * colBlocks, threads: threads) { cell in
        let ib = cell / colBlocks, jb = cell % colBlocks
        let ip0 = ib * rowPanelsPerBlock, ip1 = min(mPanels, ip0 + rowPanelsPerBlock)
        let jp0 = jb * colPanelsPerBlock, jp1 = min(nPanels, jp0 + colPanelsPerBlock)
        let aSize = aScratch(ip1 - ip0), bSize = packed == nil ? (jp1 - jp0) * nr * kcTop : 0
        Scratch.withFloats(aSize + bSize + mr * nr) { scratch in
          let ownB = scratch + aSize, tile = scratch + aSize + bSize
          var p0 = 0
          while p0 < k {
            let kc = min(kcMax, k - p0)
            let aPanel = prepareA(ip0: ip0, ip1: ip1, p0: p0, kc: kc, scratch: scratch)
            let bPanels: UnsafePointer<Float>
            if let packed {
              bPanels = UnsafePointer(packed.block(p0 / kcMax))
            } else {
              for jp in jp0..<jp1 {
                GEMMPacking.packBPanel(
                  transB: transB, b: b, ldb: ldb, p0: p0, kc: kc, j0: jp * nr, cols: min(nr, n - jp * nr),
                  dst: ownB + (jp - jp0) * kc * nr)
              }
              bPanels = UnsafePointer(ownB - jp0 * kc * nr)
            }
            sweep(
              kc: kc, aPanel: aPanel, ip0: ip0, ip1: ip1, m: m, jp0: jp0, jp1: jp1, n: n,
              bPanels: bPanels, alpha: alpha, beta: p0 == 0 ? beta : 1, c: c, ldc: ldc, tile: tile)
            p0 += kc
          }
        }
      }
      return
    }

    // Large m: K blocks are processed in groups (B of a group packed together, ≤ `groupFloats`),
    // so a long K (weight gradients, K = B·T) costs two parallel regions per group, not per block.
    let kBlocks = (k + kcMax - 1) / kcMax
    let blockFloats = kcMax * nPanels * nr
    let group = packed == nil ? max(1, min(kBlocks, groupFloats / blockFloats)) : kBlocks
    Scratch.withFloats(packed == nil ? group * blockFloats : 0) { sharedB in
      /// First panel of K block `kb` (of the current group when packing here).
      func bBlock(_ kb: Int, _ g0: Int) -> UnsafeMutablePointer<Float> {
        if let packed { return packed.block(kb) }
        return sharedB + (kb - g0) * blockFloats
      }
      var g0 = 0
      while g0 < kBlocks {
        let g1 = min(kBlocks, g0 + group)

        // Phase 1: pack the panels of op(B) of this group of K blocks.
        if packed == nil {
          let total = (g1 - g0) * nPanels
          let jobs = min(total, 2 * threads)
          Parallel.forEach(jobs, threads: threads) { job in
            for t in (total * job / jobs)..<(total * (job + 1) / jobs) {
              let kb = g0 + t / nPanels, jp = t % nPanels
              let p0 = kb * kcMax, kc = min(kcMax, k - p0)
              GEMMPacking.packBPanel(
                transB: transB, b: b, ldb: ldb, p0: p0, kc: kc, j0: jp * nr, cols: min(nr, n - jp * nr),
                dst: bBlock(kb, g0) + jp * kc * nr)
            }
          }
        }

        // Phase 2: the output grid; each cell runs the group's K blocks in order.
        Parallel.forEach(rowBlocks * colBlocks, threads: threads) { cell in
          let ib = cell / colBlocks, jb = cell % colBlocks
          let ip0 = ib * rowPanelsPerBlock, ip1 = min(mPanels, ip0 + rowPanelsPerBlock)
          let jp0 = jb * colPanelsPerBlock, jp1 = min(nPanels, jp0 + colPanelsPerBlock)
          let aSize = aScratch(ip1 - ip0)
          Scratch.withFloats(aSize + mr * nr) { scratch in
            for kb in g0..<g1 {
              let p0 = kb * kcMax, kc = min(kcMax, k - p0)
              let aPanel = prepareA(ip0: ip0, ip1: ip1, p0: p0, kc: kc, scratch: scratch)
              sweep(
                kc: kc, aPanel: aPanel, ip0: ip0, ip1: ip1, m: m, jp0: jp0, jp1: jp1, n: n,
                bPanels: bBlock(kb, g0), alpha: alpha, beta: p0 == 0 ? beta : 1, c: c, ldc: ldc,
                tile: scratch + aSize)
            }
          }
        }
        g0 = g1
      }
    }
  }

  /// Runs the micro-kernels over row panels `ip0..<ip1` × column panels `jp0..<jp1` (panel `jp`
  /// of B at `bPanels + jp·kc·16`), column panel by column panel so each B panel stays in L1
  /// while A streams from L2.
  @inline(__always)
  static func sweep(
    kc: Int, aPanel: (Int) -> APanel, ip0: Int, ip1: Int, m: Int, jp0: Int, jp1: Int, n: Int,
    bPanels: UnsafePointer<Float>, alpha: Float, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int, tile: UnsafeMutablePointer<Float>
  ) {
    let mr = MicroKernel.mr, nr = MicroKernel.nr
    for jp in jp0..<jp1 {
      let j0 = jp * nr, cols = min(nr, n - j0)
      let bp = bPanels + jp * kc * nr
      for ip in ip0..<ip1 {
        let i0 = ip * mr, rows = min(mr, m - i0)
        let (ap, aRow, aStep) = aPanel(ip)
        let cTile = c + i0 * ldc + j0
        if rows == mr && cols == nr {
          MicroKernel.full(
            kc: kc, a: ap, aRow: aRow, aStep: aStep, b: bp, bStride: nr, c: cTile, ldc: ldc,
            alpha: alpha, beta: beta)
        } else {
          MicroKernel.edge(
            kc: kc, a: ap, aRow: aRow, aStep: aStep, b: bp, bStride: nr, c: cTile, ldc: ldc,
            alpha: alpha, beta: beta, rows: rows, cols: cols, tile: tile)
        }
      }
    }
  }
}
