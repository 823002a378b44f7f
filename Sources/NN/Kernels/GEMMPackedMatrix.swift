/// A right-hand operand op(B) [k, n] packed once into the micro-kernel's panel layout, for products
/// that reuse the same B many times (a GRU's `W_hh` in all T time steps).
///
/// Usage: create once per shape, `pack(...)` whenever the weights change (e.g. once per training
/// step, before the forward pass), then call
/// `GEMM.sgemm(transA:m:alpha:a:lda:packedB:beta:c:ldc:)` as often as needed. That call skips
/// packing B, and for m ≥ 2 gives exactly the bits `GEMM.sgemm` gives on the unpacked B.
///
/// Layout: K blocks of `kc` rows (the last may be shorter); within block `kb` (rows
/// `kb·kc ..< kb·kc + kcb`), panel `jp` (columns `16·jp ..< 16·jp + 16`, zero-padded) is stored at
/// `base + kb·kc·panels·16 + jp·kcb·16` as `kcb × 16` row-major.
public final class PackedMatrix: @unchecked Sendable {
  /// Rows (K) and columns (N) of op(B).
  public let k: Int, n: Int
  /// The K block the panels were cut with (`GEMMBlocked.kcMax` at creation).
  let kc: Int
  let panels: Int
  let base: UnsafeMutablePointer<Float>

  /// Allocates an (unfilled) packed matrix for an op(B) of `k` rows and `n` columns.
  public init(k: Int, n: Int) {
    precondition(k >= 1 && n >= 1, "PackedMatrix needs k, n >= 1")
    self.k = k
    self.n = n
    kc = max(1, GEMMBlocked.kcMax)
    panels = (n + MicroKernel.nr - 1) / MicroKernel.nr
    let count = k * panels * MicroKernel.nr
    base = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: count)
    base.initialize(repeating: 0, count: count)
  }

  deinit { base.deallocate() }

  /// Fills the panels from `op(B)`: `B` stored `[k, ldb]` (`transB == false`) or `[n, ldb]`
  /// (`transB == true`), as in `GEMM.sgemm`. Uses `Parallel.threads` threads.
  public func pack(transB: Bool, b: UnsafePointer<Float>, ldb: Int) {
    pack(transB: transB, b: b, ldb: ldb, threads: Parallel.threads)
  }

  func pack(transB: Bool, b: UnsafePointer<Float>, ldb: Int, threads: Int) {
    let nr = MicroKernel.nr
    let blocks = (k + kc - 1) / kc
    let jobs = min(blocks * panels, max(1, 2 * threads))
    Parallel.forEach(jobs, threads: threads) { job in
      let total = blocks * panels
      for t in (total * job / jobs)..<(total * (job + 1) / jobs) {
        let kb = t / panels, jp = t % panels
        let p0 = kb * kc, kcb = min(kc, k - p0)
        GEMMPacking.packBPanel(
          transB: transB, b: b, ldb: ldb, p0: p0, kc: kcb, j0: jp * nr, cols: min(nr, n - jp * nr),
          dst: block(kb) + jp * kcb * nr)
      }
    }
  }

  /// First panel of K block `kb`.
  @inline(__always)
  func block(_ kb: Int) -> UnsafeMutablePointer<Float> { base + kb * kc * panels * MicroKernel.nr }
}
