import Dispatch

/// Wall time per phase of the training step (embedding, each GRU layer forward/backward, heads,
/// loss, Adam), for `midigen bench train --profile`. Off by default; when on, the phases of the
/// calling thread are timed (the kernels inside them still run on all threads).
public enum StepProfile {
  nonisolated(unsafe) public static var enabled = false
  nonisolated(unsafe) private static var totals: [String: UInt64] = [:]
  nonisolated(unsafe) private static var order: [String] = []

  /// Runs `body`, adding its wall time to phase `name` when profiling is on.
  @inline(__always)
  static func measure<R>(_ name: @autoclosure () -> String, _ body: () throws -> R) rethrows -> R {
    if !enabled { return try body() }
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try body()
    let key = name()
    if totals[key] == nil { order.append(key) }
    totals[key, default: 0] += DispatchTime.now().uptimeNanoseconds - t0
    return r
  }

  /// Phases in first-seen order with their total seconds.
  public static func report() -> [(phase: String, seconds: Double)] {
    order.map { ($0, Double(totals[$0] ?? 0) / 1e9) }
  }

  public static func reset() { totals = [:]; order = [] }
}
