import Foundation
import Testing
@testable import NN

@Suite struct NucleusTests {
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
    let scratch = Nucleus.Scratch(V: 5)
    let n = 20_000
    for _ in 0..<n {
      counts[Nucleus.draw(logits, V: 5, temperature: 1, topP: 0.95, rng: &rng, scratch: scratch)] += 1
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

  /// Key sets for `bucketedKeys`: upper halves from narrow, wide and extreme ranges, with ties.
  static func keySets() -> [[UInt64]] {
    var r = SeededRNG(seed: 8)
    func keys(_ n: Int, _ hi: () -> UInt32) -> [UInt64] {
      (0..<n).map { j in UInt64(hi()) << 32 | UInt64(UInt32(truncatingIfNeeded: ~(j + 1))) }
    }
    return [
      [], keys(1) { 5 }, keys(300) { 7 },  // all tied
      keys(359) { 0x3B00_0000 + UInt32(r.int(below: 1 << 20)) },  // near-uniform probabilities
      keys(359) { UInt32(truncatingIfNeeded: r.next()) },  // every bit pattern, NaN and zero included
      keys(1000) { UInt32(r.int(below: 40)) << 23 },  // few exponents: big buckets, radix-sorted
      keys(77) { [0, UInt32.max, 0x3F80_0000][r.int(below: 3)] },
    ]
  }

  @Test func bucketedKeysEqualAFullSortAsFarAsAsked() {
    for src in Self.keySets() {
      let n = src.count, sorted = src.sorted(by: >)
      let hiMax = src.map { UInt32($0 >> 32) }.max() ?? 0, hiMin = src.map { UInt32($0 >> 32) }.min() ?? 0
      for stopAt in [0, 1, n / 3, n - 1, n + 5] where stopAt >= 0 {
        var out = [UInt64](repeating: 0, count: max(n, 1))
        var start = [Int32](repeating: -1, count: Nucleus.maxBuckets + 1), fill = start
        var seen = 0
        let count = src.withUnsafeBufferPointer { s in
          out.withUnsafeMutableBufferPointer { o in
            Nucleus.bucketedKeys(s.baseAddress ?? UnsafePointer(o.baseAddress!), n, hiMax: hiMax, hiMin: hiMin,
                                 into: o.baseAddress!, start: &start, fill: &fill) { _, key in
              #expect(key == sorted[seen]); seen += 1
              return seen > stopAt
            }.count
          }
        }
        #expect(count == min(n, stopAt + 1), "n \(n), stop \(stopAt)")
        #expect(Array(out.prefix(count)) == Array(sorted.prefix(count)))
      }
    }
  }

  /// The definition of a draw: softmax as `Nucleus` computes it, a full sort by (probability
  /// descending, id ascending), the smallest prefix reaching `topP` (summed in that order), then
  /// `u · total` against the running sum.
  static func referenceDraw(_ l: [Float], temperature: Float, topP: Float, rng: inout SeededRNG) -> Int {
    let V = l.count
    if topP <= 0 || V == 2 { return Nucleus.argmax(l, V: V) }
    let invT = 1 / max(temperature, 1e-6)
    let mx = l[1...].max()!
    var p = [Float](repeating: 0, count: V)
    l.withUnsafeBufferPointer { lb in
      p.withUnsafeMutableBufferPointer { pb in
        VectorMath.map(lb.baseAddress! + 1, pb.baseAddress! + 1, V - 1) { VectorMath.exp(($0 - mx) * invT) }
      }
    }
    let inv = 1 / p.withUnsafeBufferPointer { VectorMath.sum($0.baseAddress! + 1, count: V - 1) }
    for j in 1..<V { p[j] *= inv }
    let order = (1..<V).sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
    var kept = order.count
    if topP < 1 {
      var c: Float = 0
      for (i, j) in order.enumerated() {
        c += p[j]
        if c >= topP { kept = i + 1; break }
      }
    }
    var total: Float = 0
    for j in order.prefix(kept) { total += p[j] }
    let u = rng.uniform() * total
    var c: Float = 0
    for j in order.prefix(kept) {
      c += p[j]
      if u < c { return j }
    }
    return order[kept - 1]
  }

  @Test func drawsAreTheReferenceDraws() {
    var gen = SeededRNG(seed: 21)
    for V in [2, 3, 9, 360, 425] {
      for scale: Float in [0.05, 1, 6, 40] {
        for trial in 0..<12 {
          var l = (0..<V).map { _ in gen.normal() * scale }
          if trial % 3 == 1 { l = l.map { ($0 * 4).rounded() / 4 } }  // ties
          if trial % 4 == 2 { l[1 + gen.int(below: V - 1)] = 1e30; l[gen.int(below: V)] = -1e30 }
          let scratch = Nucleus.Scratch(V: V)
          for (t, topP) in [(1, 0.6), (0.7, 0.95), (1.5, 1), (1, 0.1), (1, 0)] as [(Float, Float)] {
            let seed = gen.next()
            var a = SeededRNG(seed: seed), b = SeededRNG(seed: seed)
            for _ in 0..<4 {
              let got = Nucleus.draw(l, V: V, temperature: t, topP: topP, rng: &a, scratch: scratch)
              let want = Self.referenceDraw(l, temperature: t, topP: topP, rng: &b)
              #expect(got == want, "V \(V) scale \(scale) trial \(trial) T \(t) top-p \(topP)")
            }
          }
        }
      }
    }
  }
}
