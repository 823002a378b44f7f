import Foundation
import Testing
@testable import NN

/// `keep: .best`, `patience` and the fixed validation windows.
@Suite(.serialized) struct TrainerKeepBestTests {
  /// A model that overfits fast: 3 training songs of a pattern, 3 held-out songs of another.
  static func setUp(steps: Int, keep: TrainOptions.Keep = .best, patience: Int? = nil, lrDecay: Float? = nil) throws
    -> (GRUNet, TrainSummary)
  {
    let V = 8
    let m = GRUNet(config: GRUConfig(vocabSize: V, hidden: 24, layers: 1, dropout: 0),
                   vocab: TrainerTests.vocab(V), seed: 3)
    var data = TrainerTests.patternSongs(3, length: 40)
    // Held-out songs follow another rule, so validation gets worse once the pattern is learnt.
    data += (0..<3).map { k in
      TokenSequence(ids: (0..<40).map { 1 + ($0 * 5 + k) % 7 }, offsets: (0..<40).map { _ in 0.5 })
    }
    var o = TrainOptions()
    o.steps = steps; o.batch = 4; o.seq = 16; o.lr = 2e-2; o.valid = 0.5; o.seed = 11; o.evalEvery = 5
    o.keep = keep; o.patience = patience; o.wOff = 1; o.lrDecay = lrDecay
    let s = try Trainer.train(m, on: data, options: o) { _ in true }
    return (m, s)
  }

  static func params(_ m: GRUNet) -> [Float] { Array(UnsafeBufferPointer(start: m.params, count: m.parameterCount)) }

  @Test func keepsTheWeightsOfTheLowestValidationLoss() throws {
    let (m, s) = try Self.setUp(steps: 120)
    let h = m.history
    let best = try #require(h.valid.min(by: { $0.loss < $1.loss }))
    #expect(h.kept == best.step)
    #expect(h.steps == 120 && h.train.count == 120)
    #expect(best.step < 120, "the held-out rule must get worse late in training")
    #expect(s.keptStep == best.step && s.bestValidLoss == best.loss)
    // The kept weights are the ones a run stopped at that step would hold.
    let (short, _) = try Self.setUp(steps: best.step, keep: .last)
    #expect(Self.params(m) == Self.params(short))
    #expect(short.history.kept == nil)
  }

  @Test func keepLastKeepsTheLastStep() throws {
    let (last, s) = try Self.setUp(steps: 60, keep: .last)
    let (best, _) = try Self.setUp(steps: 60)
    #expect(s.keptStep == nil && last.history.kept == nil)
    #expect(last.history.train == best.history.train && last.history.valid == best.history.valid)
  }

  @Test func patienceStopsAfterNEvaluationsWithoutImprovement() throws {
    let (m, s) = try Self.setUp(steps: 400, patience: 3)
    let h = m.history
    #expect(s.stoppedEarly && h.stoppedEarly == true)
    #expect(h.steps < 400)
    let kept = try #require(h.kept)
    // Stopped at the third evaluation after the best one.
    #expect(h.valid.last?.step == kept + 15 && h.steps == kept + 15)
    #expect(h.valid.filter { $0.step > kept }.allSatisfy { $0.loss >= h.valid.first { $0.step == kept }!.loss })
    // Deterministic.
    let (again, _) = try Self.setUp(steps: 400, patience: 3)
    #expect(Self.params(again) == Self.params(m))
    #expect(again.history.train == h.train && again.history.valid == h.valid && again.history.kept == h.kept)
  }

  @Test func lrDecayLowersTheRateAfterLrPatienceEvaluationsWithoutANewLow() throws {
    let (m, s) = try Self.setUp(steps: 200, lrDecay: 0.5)
    let (plain, _) = try Self.setUp(steps: 200)
    let h = m.history
    #expect(!s.lrCuts.isEmpty)
    // Each cut follows two evaluations in a row without a new lowest loss (counting restarts after a cut).
    var low = Double.infinity, since = 0, cuts: [Int] = []
    for p in h.valid {
      if p.loss < low { low = p.loss; since = 0 } else { since += 1 }
      if since >= 2, p.step < 200 { cuts.append(p.step); since = 0 }
    }
    #expect(s.lrCuts.map(\.step) == cuts)
    #expect(s.lrCuts.enumerated().allSatisfy { k, c in c.lr == 2e-2 * pow(0.5, Float(k + 1)) })
    // Identical to a run without decay up to the first cut, different after it.
    let first = s.lrCuts[0].step
    #expect(Array(h.train.prefix(first)) == Array(plain.history.train.prefix(first)))
    #expect(h.train[first...] != plain.history.train[first...])
    #expect(throws: NNError.self) { try Self.setUp(steps: 5, lrDecay: 1) }
  }

  @Test func validationWindowsAreFixed() {
    let songs = [TokenSequence(ids: Array(1...10), offsets: Array(repeating: 0, count: 10)),
                 TokenSequence(ids: [1], offsets: [0]),
                 TokenSequence(ids: Array(1...5), offsets: Array(repeating: 0, count: 5))]
    let w = Trainer.fixedWindows(songs, seq: 4, limit: nil)
    #expect(w.map { $0.1 } == [0, 4, 8, 0])
    #expect(Trainer.fixedWindows(songs, seq: 4, limit: 2).count == 2)
    #expect(TrainOptions.defaultEvalEvery(2400) == 60 && TrainOptions.defaultEvalEvery(10) == 1)
  }

  @Test func badPatienceIsAnError() {
    #expect(throws: NNError.self) { try Self.setUp(steps: 5, patience: 0) }
  }
}
