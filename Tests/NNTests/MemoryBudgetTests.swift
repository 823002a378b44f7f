import Foundation
import Testing
@testable import NN

/// The memory budget refuses what does not fit with how much it needs, for models, training workspaces
/// and sampling batches, whatever the sizes (overflow included); tests set a 1 GB limit so nothing big
/// is ever allocated.
@Suite(.serialized) struct MemoryBudgetTests {
  static func withLimit<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
    MemoryBudget.limitOverride = bytes
    defer { MemoryBudget.limitOverride = nil }
    return try body()
  }

  @Test func sizesAreOverflowChecked() {
    #expect(MemoryBudget.Size.of([Int.max, 2]).bytes == nil)
    #expect(MemoryBudget.Size.of([1 << 31, 1 << 31], elementSize: 4).bytes == nil)
    #expect(MemoryBudget.Size.of([1 << 30, 1 << 30], elementSize: 4).bytes == 1 << 62)
    #expect(MemoryBudget.Size.of([3, 4], elementSize: 2).bytes == 24)
    #expect((MemoryBudget.Size(Int.max) + MemoryBudget.Size(1)).bytes == nil)
    #expect(MemoryBudget.Size.of([-1, 4]).bytes == nil)
    // Every power-of-two size from 2^0 to 2^62, hidden and layers alike: a count or nil, never wrapped.
    for h in 0...62 {
      for l in [1, 2, 64, 1 << 20, 1 << 40] {
        let c = GRUConfig(vocabSize: 360, hidden: 1 << h, layers: l)
        if let n = MemoryBudget.parameterCount(c) {
          #expect(n > 0 && Double(n) >= 2 * 360 * Double(1 << h))
        }
        #expect(GRUNet.problem(c) != nil || MemoryBudget.model(c, training: true).bytes != nil)
      }
    }
    #expect(MemoryBudget.format(103_000_000_000) == "103 GB" && MemoryBudget.format(1_500_000) == "1.5 MB")
    #expect(MemoryBudget.parse("2G") == 2 << 30 && MemoryBudget.parse("x") == nil && MemoryBudget.parse("-5") == nil)
  }

  @Test func modelsThatDoNotFitAreRefusedWithTheirSize() throws {
    try Self.withLimit(1 << 30) {
      let c = GRUConfig(vocabSize: 360, hidden: 8192, layers: 64)
      do {
        try GRUNet.validate(c, training: false)
        Issue.record("an 8192 × 64 model fitted in 1 GB")
      } catch let e as MemoryBudget.Exceeded {
        #expect(e.description.contains("103 GB") && e.description.contains("64 layers × 8192 hidden"), "\(e)")
      }
      #expect(throws: NNError.self) { try GRUNet(checked: GRUConfig(vocabSize: 4, hidden: 1 << 62, layers: 1), vocab: ["<PAD>", "a", "b", "c"], seed: 0) }
      #expect(throws: NNError.self) { try GRUNet.validate(GRUConfig(vocabSize: 4, hidden: -3, layers: 1), training: false) }
    }
  }

  @Test func trainingAndSamplingAreCheckedBeforeAllocating() throws {
    let m = GRUNet(config: GRUConfig(vocabSize: 6, hidden: 8, layers: 1, dropout: 0), vocab: ["<PAD>", "a", "b", "c", "d", "e"], seed: 1)
    let data = (0..<4).map { _ in TokenSequence(ids: [1, 2, 3, 4, 5, 1, 2], offsets: [0, 1, 1, 1, 1, 1, 1]) }
    try Self.withLimit(1 << 30) {
      var o = TrainOptions()
      o.batch = 100_000; o.seq = 1_000_000; o.steps = 1
      do {
        _ = try Trainer.train(m, on: data, options: o) { _ in true }
        Issue.record("a 100000 × 1000000 batch fitted")
      } catch let e as MemoryBudget.Exceeded {
        #expect(e.description.contains("batch 100000 × seq 1000000"), "\(e)")
      }
      var s = SampleOptions()
      s.length = 1_000_000; s.count = 1024
      #expect(throws: MemoryBudget.Exceeded.self) { _ = try Sampler.sample(m, options: s) }
      // Epochs that mean more steps than allowed (1e300 used to be 1 step) are refused.
      for e in [1e300, 1e20, Double.greatestFiniteMagnitude, .infinity, .nan, 0, -1] {
        var o = TrainOptions()
        o.epochs = e; o.batch = 2; o.seq = 4
        #expect(throws: NNError.self, "epochs \(e)") { _ = try Trainer.train(m, on: data, options: o) { _ in true } }
      }
      // Options out of range (a Float of 1e300 is infinite) are refused before training.
      let bad: [(inout TrainOptions) -> Void] = [
        { $0.lr = .infinity }, { $0.lr = 0 }, { $0.weightDecay = -1 }, { $0.wOff = .nan }, { $0.smoothing = 1 },
        { $0.clip = .nan }, { $0.threads = 0 }, { $0.evalEvery = 0 }, { $0.valid = 1 }, { $0.steps = -1 },
      ]
      for (k, change) in bad.enumerated() {
        var o = TrainOptions()
        o.steps = 1; o.batch = 2; o.seq = 4
        change(&o)
        #expect(throws: NNError.self, "option \(k)") { _ = try Trainer.train(m, on: data, options: o) { _ in true } }
      }
      #expect(m.history.steps == 0)
    }
  }
}
