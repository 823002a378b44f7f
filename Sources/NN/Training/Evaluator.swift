import Foundation

/// Next-event prediction quality on held-out sequences.
public struct Evaluation: Sendable {
  /// Mean cross-entropy (nats, no label smoothing) over predicted positions.
  public var crossEntropy: Double
  /// Fraction of positions whose most likely token is the true next token.
  public var accuracy: Double
  /// Mean |predicted offset - true offset| over the same positions.
  public var offsetMAE: Double
  /// Number of predicted positions (next token not `<PAD>`).
  public var tokens: Int
}

public enum Evaluator {
  /// Evaluates `model` (no dropout) on windows of `seq + 1` events at starts 0, seq, 2*seq, ... of
  /// every sequence, so each next event is predicted once, with the GRU state reset per window.
  /// `onBatch(done, total)` (windows) is called before each batch; returning false stops and returns nil.
  public static func evaluate(_ model: GRUNet, on data: [TokenSequence], seq: Int) -> Evaluation {
    evaluate(model, on: data, seq: seq, onBatch: { _, _ in true }) ?? Evaluation(crossEntropy: 0, accuracy: 0,
                                                                                  offsetMAE: 0, tokens: 0)
  }

  public static func evaluate(_ model: GRUNet, on data: [TokenSequence], seq: Int,
                              onBatch: (Int, Int) -> Bool) -> Evaluation? {
    let valid = data.filter { s in
      s.ids.count == s.offsets.count && s.ids.allSatisfy { $0 >= 0 && $0 < model.config.vocabSize }
    }
    let windows = Trainer.fixedWindows(valid, seq: max(1, seq), limit: nil)
    guard !windows.isEmpty else { return Evaluation(crossEntropy: 0, accuracy: 0, offsetMAE: 0, tokens: 0) }
    // Windows never need more steps than the longest of them (the rest would be padding), and the
    // batch shrinks until the workspace fits the memory budget (the results do not depend on either).
    let T = max(1, windows.map { min(seq, $0.0.count - $0.1) }.max() ?? 1)
    var maxB = min(32, windows.count)
    while maxB > 1, (MemoryBudget.workspace(model.config, T: T, B: maxB, training: false).bytes ?? .max)
      > MemoryBudget.limit / 2 { maxB /= 2 }
    let ws = Workspace(config: model.config, T: T, maxB: maxB, training: false)
    var sums = LossLayer.Sums()
    var i = 0
    while i < windows.count {
      if !onBatch(i, windows.count) { return nil }
      let B = min(maxB, windows.count - i)
      for b in 0..<B { ws.setWindow(b, of: B, seq: windows[i + b].0, start: windows[i + b].1) }
      ws.forward(model, B: B, dropout: false, seed: 0)
      sums.add(ws.loss(smoothing: 0, wCls: 1, wOff: 1, grad: false))
      i += B
    }
    let n = Double(max(sums.ceCount, 1))
    return Evaluation(crossEntropy: sums.ce / n, accuracy: Double(sums.correct) / n,
                      offsetMAE: sums.offAbs / n, tokens: sums.ceCount)
  }

  /// Throws `MemoryBudget.Exceeded` when evaluating `model` on `data` would not fit in memory even one
  /// window at a time.
  public static func check(_ model: GRUNet, on data: [TokenSequence], seq: Int) throws {
    let longest = data.map(\.count).max() ?? 1
    let T = max(1, min(seq, longest))
    try MemoryBudget.check(MemoryBudget.workspace(model.config, T: T, B: 1, training: false),
                           for: "evaluating windows of \(T) events on \(model.config.layers) layers × "
                             + "\(model.config.hidden) hidden")
  }

  /// An add-one smoothed bigram baseline: `P(next | cur) = (c(cur,next) + 1) / (c(cur) + V)` counted on
  /// `train` (transitions into `<PAD>` are skipped); its guess is the most likely non-PAD next token
  /// (lowest id on ties) and the mean offset that followed `cur` in training (the global mean if
  /// `cur` was never seen). Scored on every transition of `data` whose next token is not `<PAD>`.
  public static func bigram(train: [TokenSequence], vocabSize V: Int, on data: [TokenSequence]) -> Evaluation {
    var counts = [Int](repeating: 0, count: V * V)
    var rowTotal = [Int](repeating: 0, count: V)
    var offSum = [Double](repeating: 0, count: V)
    var globalOff: Double = 0, globalN = 0
    func ok(_ id: Int) -> Bool { id >= 0 && id < V }
    for s in train where s.ids.count == s.offsets.count {
      for i in 0..<max(0, s.count - 1) {
        let a = s.ids[i], b = s.ids[i + 1]
        guard ok(a), ok(b), b != 0 else { continue }
        counts[a * V + b] += 1
        rowTotal[a] += 1
        offSum[a] += Double(s.offsets[i + 1])
        globalOff += Double(s.offsets[i + 1]); globalN += 1
      }
    }
    let globalMean = globalN > 0 ? globalOff / Double(globalN) : 0
    var best = [Int](repeating: 1, count: V)
    for a in 0..<V {
      var j = 1
      for b in 1..<V where counts[a * V + b] > counts[a * V + j] { j = b }
      best[a] = j
    }
    var ce: Double = 0, hits = 0, mae: Double = 0, n = 0
    for s in data where s.ids.count == s.offsets.count {
      for i in 0..<max(0, s.count - 1) {
        let a = s.ids[i], b = s.ids[i + 1]
        guard ok(a), ok(b), b != 0 else { continue }
        let p = Double(counts[a * V + b] + 1) / Double(rowTotal[a] + V)
        ce -= log(p)
        if best[a] == b { hits += 1 }
        let guess = rowTotal[a] > 0 ? offSum[a] / Double(rowTotal[a]) : globalMean
        mae += abs(guess - Double(s.offsets[i + 1]))
        n += 1
      }
    }
    let d = Double(max(n, 1))
    return Evaluation(crossEntropy: ce / d, accuracy: Double(hits) / d, offsetMAE: mae / d, tokens: n)
  }
}
