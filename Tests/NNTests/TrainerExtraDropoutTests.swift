import Foundation
import Testing
@testable import NN

/// `dropoutOut`, `dropoutIn` and `weightDrop` (train's `dropout_out`, `dropout_in`, `weight_drop`): dropout
/// on the heads' input and on the first GRU layer's input, DropConnect on `W_hh`, in training only.
@Suite struct TrainerExtraDropoutTests {
  static let data = TrainerTests.patternSongs(8, length: 40)

  static func options(_ dropoutOut: Float, dropoutIn: Float = 0, weightDrop: Float = 0,
                      threads: Int = 2) -> TrainOptions {
    var o = TrainOptions()
    o.steps = 12; o.batch = 4; o.seq = 16; o.lr = 1e-2; o.valid = 0.25; o.seed = 9; o.evalEvery = 4
    o.keep = .last; o.dropoutOut = dropoutOut; o.dropoutIn = dropoutIn; o.weightDrop = weightDrop
    o.threads = threads
    return o
  }

  static func run(dropoutOut: Float, dropoutIn: Float = 0, weightDrop: Float = 0, threads: Int = 2) throws -> GRUNet {
    let V = 8
    let m = GRUNet(config: GRUConfig(vocabSize: V, hidden: 16, layers: 2, dropout: 0.2),
                   vocab: TrainerTests.vocab(V), seed: 5)
    _ = try Trainer.train(m, on: data, options: options(dropoutOut, dropoutIn: dropoutIn, weightDrop: weightDrop,
                                                                   threads: threads)) { _ in true }
    return m
  }

  static func params(_ m: GRUNet) -> [Float] { Array(UnsafeBufferPointer(start: m.params, count: m.parameterCount)) }

  @Test func changesTrainingButNotValidationAndIsDeterministic() throws {
    let off = try Self.run(dropoutOut: 0)
    let on = try Self.run(dropoutOut: 0.5)
    // Different masks in training give different weights and training losses…
    #expect(Self.params(off) != Self.params(on))
    #expect(off.history.train.first!.loss != on.history.train.first!.loss)
    // …while validation is measured without it: the final weights of the run with dropout_out, evaluated
    // by a workspace that has no dropout at all, give exactly the last recorded figure.
    #expect(on.history.valid.map(\.step) == [4, 8, 12])
    let o = Self.options(0.5)
    let windows = Trainer.fixedWindows(Trainer.split(Self.data, valid: o.valid, seed: o.seed).valid, seq: o.seq,
                                       limit: o.validWindows)
    let ws = Workspace(config: on.config, T: o.seq, maxB: o.batch, training: false)
    #expect(Trainer.validationLoss(on, ws: ws, windows: windows, options: o) == on.history.valid.last!.loss)
    // Deterministic, and independent of the thread count.
    #expect(Self.params(try Self.run(dropoutOut: 0.5, threads: 1)) == Self.params(on))
    #expect(Self.params(try Self.run(dropoutOut: 0)) == Self.params(off))
  }

  /// (dropout_in, weight_drop)
  @Test(arguments: [(Float(0.5), Float(0)), (0, 0.5), (0.3, 0.3)])
  func inputAndWeightDropChangeTrainingButNotValidationAndAreDeterministic(dropoutIn: Float, weightDrop: Float) throws {
    let off = try Self.run(dropoutOut: 0)
    let on = try Self.run(dropoutOut: 0, dropoutIn: dropoutIn, weightDrop: weightDrop)
    let more = try Self.run(dropoutOut: 0.5, dropoutIn: dropoutIn, weightDrop: weightDrop)
    #expect(Self.params(off) != Self.params(on) && Self.params(on) != Self.params(more))
    #expect(off.history.train.first!.loss != on.history.train.first!.loss)
    let o = Self.options(0, dropoutIn: dropoutIn, weightDrop: weightDrop)
    let windows = Trainer.fixedWindows(Trainer.split(Self.data, valid: o.valid, seed: o.seed).valid, seq: o.seq,
                                       limit: o.validWindows)
    let ws = Workspace(config: on.config, T: o.seq, maxB: o.batch, training: false)
    #expect(Trainer.validationLoss(on, ws: ws, windows: windows, options: o) == on.history.valid.last!.loss)
    #expect(Self.params(try Self.run(dropoutOut: 0, dropoutIn: dropoutIn, weightDrop: weightDrop, threads: 1))
      == Self.params(on))
  }

  @Test func outOfRangeIsAnError() {
    for bad: Float in [-0.1, 1, .nan] {
      #expect(throws: NNError.self) { _ = try Self.run(dropoutOut: bad) }
      #expect(throws: NNError.self) { _ = try Self.run(dropoutOut: 0, dropoutIn: bad) }
      #expect(throws: NNError.self) { _ = try Self.run(dropoutOut: 0, weightDrop: bad) }
    }
  }
}
