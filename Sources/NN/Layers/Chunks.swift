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
