import Foundation
import Testing
@testable import NN

/// `average` (train's `average:`): an exponential moving average of the weights.
@Suite struct TrainerAverageTests {
  static let data = TrainerTests.patternSongs(8, length: 40)

  static func options(valid: Double, keep: TrainOptions.Keep, average: Float?) -> TrainOptions {
    var o = TrainOptions()
    o.steps = 15; o.batch = 4; o.seq = 16; o.lr = 1e-2; o.valid = valid; o.seed = 9; o.evalEvery = 3
    o.keep = keep; o.average = average
    return o
  }

  static func model() -> GRUNet {
    GRUNet(config: GRUConfig(vocabSize: 8, hidden: 12, layers: 2, dropout: 0.1), vocab: TrainerTests.vocab(8), seed: 5)
  }

  static func params(_ m: GRUNet) -> [Float] { Array(UnsafeBufferPointer(start: m.params, count: m.parameterCount)) }

  static func validLoss(_ m: GRUNet, _ o: TrainOptions) -> Double {
    let windows = Trainer.fixedWindows(Trainer.split(data, valid: o.valid, seed: o.seed).valid, seq: o.seq,
                                       limit: o.validWindows)
    let ws = Workspace(config: m.config, T: o.seq, maxB: o.batch, training: false)
    return Trainer.validationLoss(m, ws: ws, windows: windows, options: o)
  }

  @Test func theModelEndsWithTheMovingAverageOfItsWeights() throws {
    let m = Self.model()
    var avg = Self.params(m)
    var t = 0
    let o = Self.options(valid: 0, keep: .last, average: 0.9)
    _ = try Trainer.train(m, on: Self.data, options: o) { _ in
      // Called after each step, with the weights being trained.
      t += 1
      let a = 1 - AveragedWeights.rate(decay: 0.9, update: t)
      let p = Self.params(m)
      for i in avg.indices { avg[i] += a * (p[i] - avg[i]) }
      return true
    }
    #expect(t == 15)
    #expect(Self.params(m) == avg)
    // The rate: (1+t)/(10+t) while smaller than the decay.
    #expect(AveragedWeights.rate(decay: 0.9, update: 1) == Float(2) / 11)
    #expect(AveragedWeights.rate(decay: 0.9, update: 100) == 0.9)
    // Without averaging, training is the same up to the last step: the last weights differ from the average.
    let plain = Self.model()
    _ = try Trainer.train(plain, on: Self.data, options: Self.options(valid: 0, keep: .last, average: nil)) { _ in true }
    #expect(Self.params(plain) != avg)
  }

  @Test func validationAndKeepBestSeeTheAverage() throws {
    let o = Self.options(valid: 0.25, keep: .best, average: 0.8)
    let m = Self.model()
    _ = try Trainer.train(m, on: Self.data, options: o) { _ in true }
    let h = m.history
    #expect(h.valid.map(\.step) == [3, 6, 9, 12, 15])
    // The model ends with the averaged weights of the evaluation with the lowest loss: scoring them again
    // gives that loss exactly.
    let best = try #require(h.valid.min { $0.loss < $1.loss })
    #expect(h.kept == best.step)
    #expect(Self.validLoss(m, o) == best.loss)
    // With keep last, the last recorded loss is the final (averaged) model's.
    let last = Self.model()
    let ol = Self.options(valid: 0.25, keep: .last, average: 0.8)
    _ = try Trainer.train(last, on: Self.data, options: ol) { _ in true }
    #expect(Self.validLoss(last, ol) == last.history.valid.last!.loss)
    // The train losses are the trained weights': the same as a run without averaging.
    let plain = Self.model()
    _ = try Trainer.train(plain, on: Self.data, options: Self.options(valid: 0.25, keep: .last, average: nil)) { _ in true }
    #expect(plain.history.train == last.history.train)
    #expect(plain.history.valid != last.history.valid)
  }

  @Test func outOfRangeIsAnError() {
    for bad: Float in [0, 1, -0.5, .nan] {
      #expect(throws: NNError.self) {
        _ = try Trainer.train(Self.model(), on: Self.data, options: Self.options(valid: 0, keep: .last, average: bad)) { _ in true }
      }
    }
  }
}
