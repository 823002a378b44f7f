/// Where each time step's rows lie in a time-major batch of sequences of different lengths (as
/// PyTorch's `PackedSequence`): the sequences are sorted by length, longest first, so step `t` has
/// the `counts[t]` sequences still running, as rows `starts[t] ..< starts[t] + counts[t]`, and row
/// `starts[t] + j` continues row `starts[t-1] + j`. Counts never grow with `t`.
///
/// A batch of `B` windows that all run `T` steps is `uniform(T:B:)`: row `t·B + b`.
struct StepRows: Equatable, Sendable {
  /// Rows of each step (`steps` entries, each ≥ 1, non-increasing).
  let counts: [Int]
  /// First row of each step, and the total (`steps + 1` entries).
  let starts: [Int]

  init(counts: [Int]) {
    precondition(counts.allSatisfy { $0 >= 1 }, "every step has a row")
    precondition(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 }, "counts never grow")
    self.counts = counts
    var s = [0]
    s.reserveCapacity(counts.count + 1)
    for c in counts { s.append(s[s.count - 1] + c) }
    starts = s
  }

  /// `T` steps of `B` rows each.
  static func uniform(T: Int, B: Int) -> StepRows {
    StepRows(counts: [Int](repeating: B, count: B >= 1 ? T : 0))
  }

  /// Steps for sequences of these lengths (sorted longest first); lengths of 0 add nothing.
  static func lengths(_ sorted: [Int]) -> StepRows {
    let T = sorted.first ?? 0
    var counts = [Int](repeating: 0, count: T)
    for len in sorted where len > 0 { for t in 0..<len { counts[t] += 1 } }
    return StepRows(counts: counts)
  }

  var steps: Int { counts.count }
  /// Rows of all steps.
  var rows: Int { starts[counts.count] }
  /// Rows of the widest step (the first).
  var widest: Int { counts.first ?? 0 }
  /// Every step has the same number of rows (row `t·B + b`, as `uniform`).
  var isUniform: Bool { counts.allSatisfy { $0 == counts[0] } }
}
