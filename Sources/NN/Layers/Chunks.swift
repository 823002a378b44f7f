/// Work partitioning helpers for the layers.
///
/// Both split the *output* into disjoint blocks whose boundaries do not depend on
/// `Parallel.threads`, and each block is computed in a fixed order, so results are bit-identical for
/// any thread count.
enum Chunks {
  /// Calls `body(range)` for consecutive ranges of `0..<n` of at most `size` elements, in parallel.
  @inline(__always)
  static func rows(_ n: Int, size: Int, _ body: (Range<Int>) -> Void) {
    if n <= 0 { return }
    let blocks = (n + size - 1) / size
    Parallel.forEach(blocks) { b in body((b * size)..<min(n, (b + 1) * size)) }
  }

  /// Column blocks for reductions over rows (bias/LayerNorm/offset-weight gradients): each block
  /// owns `cols` output columns and walks all rows in order.
  @inline(__always)
  static func columns(_ n: Int, _ body: (Range<Int>) -> Void) {
    rows(n, size: 32, body)
  }
}

/// `out[j] += Σ_i x[i*ld + j]` for `j < n`: a [1,m]x[m,n] product with a ones vector, so it runs on
/// the vectorized, threaded GEMV (each output's arithmetic depends only on m: deterministic).
func addColumnSums(_ x: UnsafePointer<Float>, rows m: Int, cols n: Int, ld: Int, into out: UnsafeMutablePointer<Float>) {
  if m <= 0 || n <= 0 { return }
  let ones = UnsafeMutablePointer<Float>.allocate(capacity: m)
  ones.initialize(repeating: 1, count: m)
  defer { ones.deallocate() }
  GEMM.sgemm(transA: false, transB: false, m: 1, n: n, k: m, alpha: 1, a: ones, lda: m, b: x, ldb: ld,
             beta: 1, c: out, ldc: n)
}
