import Dispatch

/// Work splitting over the machine's cores.
///
/// Every kernel that uses `Parallel` partitions its *output* into independent blocks, so the
/// floating-point reduction order never depends on `threads`: results are bit-identical for any
/// thread count.
public enum Parallel {
  /// Number of worker threads kernels may use (1 = serial). Set from the CLI / notebook.
  nonisolated(unsafe) public static var threads: Int = 2

  /// Runs `body(i)` for `i in 0..<count`, spread over `threads` workers.
  @inlinable
  public static func forEach(_ count: Int, _ body: (Int) -> Void) {
    forEach(count, threads: threads, body)
  }

  /// Runs `body(i)` for `i in 0..<count`, serially when `threads <= 1`, else on the shared
  /// concurrent pool (iterations are handed out dynamically to the machine's cores).
  @inlinable
  public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    if count <= 0 { return }
    if threads <= 1 || count == 1 {
      for i in 0..<count { body(i) }
      return
    }
    withoutActuallyEscaping(body) { escaped in
      let box = UncheckedSendableBox(escaped)
      DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
    }
  }
}

/// Carries a non-Sendable value (a closure over raw buffers) into `concurrentPerform`. Safe because
/// every caller writes disjoint output blocks and the call does not return before all workers end.
public struct UncheckedSendableBox<T>: @unchecked Sendable {
  public let value: T
  @inlinable public init(_ value: T) { self.value = value }
}
