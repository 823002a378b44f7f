import Foundation
import Testing
@testable import NN

@Suite struct SamplerTests {
  // softmax over ids 1..4 of [_, 2, 1, 0, -1]: ≈ 0.6439, 0.2369, 0.0871, 0.0321
  let logits: [Float] = [5, 2, 1, 0, -1]

  @Test func greedyIgnoresPad() {
    let d = Nucleus.distribution(logits: logits, temperature: 1, topP: 0)
    #expect(d.count == 1 && d[0].id == 1 && d[0].p == 1)
  }

  @Test func nucleusKeepsSmallestSet() {
    let d1 = Nucleus.distribution(logits: logits, temperature: 1, topP: 0.6)
    #expect(d1.map(\.id) == [1] && abs(d1[0].p - 1) < 1e-6)
    let d2 = Nucleus.distribution(logits: logits, temperature: 1, topP: 0.7)
    #expect(d2.map(\.id) == [1, 2])
    #expect(abs(d2[0].p - 0.6439 / (0.6439 + 0.2369)) < 1e-3)
    let d3 = Nucleus.distribution(logits: logits, temperature: 1, topP: 1)
    #expect(d3.map(\.id) == [1, 2, 3, 4])
    // Higher temperature flattens: 0.6 no longer reached by id 1 alone.
    let d4 = Nucleus.distribution(logits: logits, temperature: 3, topP: 0.6)
    #expect(d4.count >= 2)
  }

  @Test func drawsFollowTheKeptDistribution() {
    var rng = SeededRNG(seed: 11)
    var counts = [Int](repeating: 0, count: 5)
    var probs = [Float](repeating: 0, count: 5)
    var keys = [UInt64](repeating: 0, count: 5)
    let n = 20_000
    for _ in 0..<n {
      counts[Nucleus.draw(logits, V: 5, temperature: 1, topP: 0.95, rng: &rng, probs: &probs, keys: &keys)] += 1
    }
    let kept = Nucleus.distribution(logits: logits, temperature: 1, topP: 0.95)
    #expect(kept.map(\.id) == [1, 2, 3])
    #expect(counts[0] == 0 && counts[4] == 0)
    for k in kept {
      #expect(abs(Double(counts[k.id]) / Double(n) - Double(k.p)) < 0.015)
    }
  }

  @Test func radixSortMatchesStandardSort() {
    var r = SeededRNG(seed: 3)
    for n in [0, 1, 2, 7, 359, 1000] {
      // Few distinct probabilities, so ties are common; ids ascending as the sampler builds them.
      var keys = (0..<n).map { j -> UInt64 in
        let p = Float(r.int(below: 5) + 1) / 7
        return UInt64(p.bitPattern) << 32 | UInt64(UInt32(truncatingIfNeeded: ~(j + 1)))
      }
      let expected = keys.sorted(by: >)
      keys.withUnsafeMutableBufferPointer { Nucleus.radixSortDescending($0.baseAddress!, n) }
      #expect(keys == expected, "n \(n)")
    }
  }

  static func model() -> GRUNet {
    GRUNet(config: GRUConfig(vocabSize: 9, hidden: 8, layers: 2), vocab: ["<PAD>"] + (1..<9).map { "t\($0)" }, seed: 5)
  }

  @Test func batchedMelodiesAreIndependentAndSeeded() throws {
    let m = Self.model()
    var o = SampleOptions()
    o.length = 20; o.count = 3; o.seed = 7
    let a = try Sampler.sample(m, options: o)
    #expect(a.count == 3 && a.allSatisfy { $0.count == 20 && !$0.ids.contains(0) })
    #expect(try Sampler.sample(m, options: o) == a)
    o.count = 1
    #expect(try Sampler.sample(m, options: o)[0] == a[0])  // melody 0 does not depend on count
    o.count = 3; o.seed = 8
    #expect(try Sampler.sample(m, options: o) != a)
    #expect(a[0].offsets.allSatisfy { $0 >= 0 })
  }

  @Test func primerAndConstantOffset() throws {
    let m = Self.model()
    var o = SampleOptions()
    o.length = 10; o.constantOffset = 0.5; o.topP = 0
    o.prime = TokenSequence(ids: [1, 2, 3], offsets: [0, 0.5, 0.5])
    let a = try Sampler.sample(m, options: o)[0]
    #expect(a.count == 10 && a.offsets.allSatisfy { $0 == 0.5 })
    // Greedy after a primer is deterministic regardless of seed.
    o.seed = 99
    #expect(try Sampler.sample(m, options: o)[0] == a)
    // The same primer run through the step-wise path (binary16 weights) matches the batched Float
    // training forward up to the weights' rounding.
    let ws = Workspace(config: m.config, T: 3, maxB: 1, training: false)
    ws.setWindow(0, of: 1, seq: TokenSequence(ids: [1, 2, 3, 4], offsets: [0, 0.5, 0.5, 0]), start: 0)
    ws.forward(m, B: 1, dropout: false, seed: 0)
    let st = StepState(m, B: 1)
    for (t, id) in [1, 2, 3].enumerated() {
      st.step([Int32(id)], [[0, 0.5, 0.5][t]])
      for v in 0..<9 { #expect(abs(st.logits[v] - ws.logits[t * 9 + v]) < 2e-3) }
      #expect(abs(st.pred[0] - ws.pred[t]) < 2e-3)
    }
  }

  @Test(arguments: [1, 13, 16, 37, 256])
  func halfPrecisionGEMV(k: Int) {
    let rows = 11, B = 3
    let w = GradCheck.random(rows * k, seed: 30)
    let x = GradCheck.random(B * k, seed: 31, scale: 2)
    let wh = w.map { Float16($0) }
    var y = [Float](repeating: 0, count: B * rows), split = y
    HalfWeights.gemv(wh, rows: 0..<rows, k: k, x: x, ldx: k, B: B, y: &y, ldy: rows)
    // Any row split and any B give the same bits.
    split.withUnsafeMutableBufferPointer { s in
      for r in [0..<4, 4..<5, 5..<rows] {
        for b in 0..<B {
          x.withUnsafeBufferPointer { xb in
            HalfWeights.gemv(wh, rows: r, k: k, x: xb.baseAddress! + b * k, ldx: k, B: 1,
                             y: s.baseAddress! + b * rows, ldy: rows)
          }
        }
      }
    }
    #expect(y == split)
    for b in 0..<B {
      for r in 0..<rows {
        var exact = 0.0, bound = 0.0
        for p in 0..<k {
          exact += Double(w[r * k + p]) * Double(x[b * k + p])
          bound += abs(Double(w[r * k + p]) * Double(x[b * k + p]))
        }
        // binary16 rounding (2^-11 relative) plus Float accumulation.
        #expect(abs(Double(y[b * rows + r]) - exact) <= bound * 6e-4 + 1e-6)
      }
    }
  }

  @Test func badOptionsAreErrors() {
    let m = Self.model()
    var o = SampleOptions()
    o.topP = 1.5
    #expect(throws: NNError.self) { try Sampler.sample(m, options: o) }
    o = SampleOptions(); o.temperature = 0
    #expect(throws: NNError.self) { try Sampler.sample(m, options: o) }
    o = SampleOptions(); o.prime = TokenSequence(ids: [42], offsets: [0])
    #expect(throws: NNError.self) { try Sampler.sample(m, options: o) }
    o = SampleOptions(); o.count = 0
    #expect(throws: NNError.self) { try Sampler.sample(m, options: o) }
  }
}
