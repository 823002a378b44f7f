import Foundation
import Testing
@testable import NN

@Suite struct SamplerTests {
  static func model(V: Int = 9, H: Int = 8, L: Int = 2, seed: UInt64 = 5) -> GRUNet {
    GRUNet(config: GRUConfig(vocabSize: V, hidden: H, layers: L), vocab: ["<PAD>"] + (1..<V).map { "t\($0)" },
           seed: seed)
  }

  @Test(arguments: [1, 2])
  func batchedMelodiesAreIndependentAndSeeded(members: Int) throws {
    let m = Self.model()
    var o = SampleOptions()
    o.length = 20; o.count = 3; o.seed = 7
    let a = try Sampler.sample(m, options: o, members: members, plan: [members])
    #expect(a.count == 3 && a.allSatisfy { $0.count == 20 && !$0.ids.contains(0) })
    #expect(try Sampler.sample(m, options: o, members: members, plan: [members]) == a)
    o.count = 1
    #expect(try Sampler.sample(m, options: o, members: members, plan: [members])[0] == a[0])  // independent of count
    o.count = 3; o.seed = 8
    #expect(try Sampler.sample(m, options: o, members: members, plan: [members]) != a)
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
      st.step(t, [Int32(id)], [[0, 0.5, 0.5][t]])
      for v in 0..<9 { #expect(abs(st.logits[v] - ws.logits[t * 9 + v]) < 2e-3) }
      #expect(abs(st.pred[0] - ws.pred[t]) < 2e-3)
    }
  }

  /// One melody the plain way (the sampler's definition): binary16 row-major matrix–vector
  /// products (`HalfKernels.gemvRowMajor`), the layers' own kernels one row at a time, and
  /// `NucleusTests.referenceDraw`.
  static func referenceMelody(_ m: GRUNet, options o: SampleOptions, melody b: Int) -> TokenSequence {
    let H = m.config.hidden, V = m.config.vocabSize, L = m.config.layers, G = 3 * H
    let P = m.params, lay = m.layout
    func half(_ at: Int, _ n: Int) -> [Float16] {
      (0..<n).map { Float16(min(65504, max(-65504, P[at + $0]))) }
    }
    let wih = lay.gru.map { half($0.wih, G * H) }, whh = lay.gru.map { half($0.whh, G * H) }
    let cls = half(lay.cls, V * H)
    var s = o.seed ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
    var rng = SeededRNG(seed: splitMix64(&s))
    var h = [[Float]](repeating: [Float](repeating: 0, count: H), count: L)
    var started = false
    var logits = [Float](repeating: 0, count: V), pred: Float = 0
    func step(_ tok: Int, _ off: Float) {
      var x = [Float](repeating: 0, count: H), xn = x, mean: Float = 0, rstd: Float = 0
      var t32 = Int32(tok), o32 = off
      EmbeddingLayer.forward(out: &x, tok: &t32, offset: &o32, emb: P + lay.emb, offW: P + lay.offW,
                             offB: P + lay.offB, N: 1, H: H)
      LayerNormLayer.forward(out: &xn, mean: &mean, rstd: &rstd, x: x, w: P + lay.normW, b: P + lay.normB,
                             N: 1, H: H)
      var gh = [[Float]](repeating: [Float](repeating: 0, count: G), count: L)
      if started {
        for l in 0..<L { HalfKernels.gemvRowMajor(whh[l], rows: 0..<G, k: H, x: h[l], ldx: H, B: 1, y: &gh[l], ldy: G) }
      }
      var input = xn
      for l in 0..<L {
        var gi = [Float](repeating: 0, count: G), hn = [Float](repeating: 0, count: H), hNew = hn
        HalfKernels.gemvRowMajor(wih[l], rows: 0..<G, k: H, x: input, ldx: H, B: 1, y: &gi, ldy: G)
        h[l].withUnsafeBufferPointer { hp in
          GateMath.forward(g: &gi, s: gh[l], bih: P + lay.gru[l].bih, bhh: P + lay.gru[l].bhh,
                           hprev: started ? hp.baseAddress! : nil, hn: &hn, h: &hNew, H: H)
        }
        h[l] = hNew; input = hNew
      }
      started = true
      var a = [Float](repeating: 0, count: H), y = a
      ReLULayer.forward(out: &a, x: input, n: H)
      LayerNormLayer.forward(out: &y, mean: &mean, rstd: &rstd, x: a, w: P + lay.extW, b: P + lay.extB,
                             N: 1, H: H)
      HalfKernels.gemvRowMajor(cls, rows: 0..<V, k: H, x: y, ldx: H, B: 1, y: &logits, ldy: V)
      pred = max(0, VectorMath.dot(y, P + lay.offHead, count: H))
    }
    var out = TokenSequence(ids: [], offsets: [])
    if let p = o.prime, p.count > 0 {
      for t in 0..<p.count { step(p.ids[t], p.offsets[t]) }
    } else {
      let tok = 1 + rng.int(below: V - 1), off = o.constantOffset ?? 0
      out.ids.append(tok); out.offsets.append(off)
      if o.length > 1 { step(tok, off) }
    }
    while out.count < o.length {
      let tok = NucleusTests.referenceDraw(logits, temperature: o.temperature, topP: o.topP, rng: &rng)
      let off = o.constantOffset ?? pred
      out.ids.append(tok); out.offsets.append(off)
      if out.count < o.length { step(tok, off) }
    }
    return out
  }

  // (V, H, L): with two members the lead owns no layer-0 units in the small models, 56 of 128 in
  // the last one.
  @Test(arguments: [(9, 8, 2), (11, 12, 1), (37, 40, 3), (360, 64, 2), (9, 128, 2)])
  func melodiesAreTheReferenceMelodiesOnAnyNumberOfThreads(V: Int, H: Int, L: Int) throws {
    let m = Self.model(V: V, H: H, L: L, seed: UInt64(V + H))
    var options: [SampleOptions] = []
    for (topP, temperature, count) in [(0.6, 1, 1), (0.95, 0.8, 3), (1, 1.3, 2), (0, 1, 2)] as [(Float, Float, Int)] {
      var o = SampleOptions()
      o.length = 24; o.topP = topP; o.temperature = temperature; o.count = count; o.seed = UInt64(count * 10 + V)
      options.append(o)
    }
    options[1].prime = TokenSequence(ids: [1, V - 1, 2], offsets: [0, 0.25, 1])
    options[2].constantOffset = 0.5
    for o in options {
      let want = (0..<o.count).map { Self.referenceMelody(m, options: o, melody: $0) }
      for (members, plan) in [(1, [1]), (2, [2]), (2, [2, 1, 1, 2])] {
        let got = try Sampler.sample(m, options: o, members: members, plan: plan, segment: 5)
        #expect(got == want, "V \(V) H \(H) L \(L) top-p \(o.topP) count \(o.count) teams \(plan)")
      }
      #expect(try Sampler.sample(m, options: o, members: 2) == want)  // segments as the schedule chooses
    }
  }

  @Test func splitsCoverTheRowsAtMultiplesOfTheGroup() {
    for (n, group, weights) in [(256, 8, [1.0, 1]), (256, 8, [0.4, 1]), (360, 4, [1, 1]), (12, 8, [1, 1]),
                                (8, 8, [0, 8]), (100, 4, [1, 2, 3])] {
      let r = StepState.split(n, group: group, weights: weights)
      #expect(r.count == weights.count && r.first?.lowerBound == 0 && r.last?.upperBound == n)
      for i in 1..<r.count { #expect(r[i].lowerBound == r[i - 1].upperBound && r[i].lowerBound % group == 0) }
    }
    let m = Self.model(V: 360, H: 256)
    let st = StepState(m, B: 1, members: 2)
    #expect(st.splits.count == 2 && st.splits[0].units0 == [0..<256] && st.splits[0].rows == [0..<360])
    let two = st.splits[1]
    #expect(two.units0 == [0..<96, 96..<256] && two.units == [0..<128, 128..<256] && two.rows == [0..<180, 180..<360])
  }

  @Test(arguments: [0, 8, 40, 64])
  func teamStepsDoNotDependOnTheLeadCut(cut: Int) {
    let m = Self.model(V: 37, H: 64, L: 2, seed: 3)
    let solo = StepState(m, B: 2, members: 1), team = StepState(m, B: 2, members: 2)
    team.leadCut = cut
    let toks: [[Int32]] = [[1, 5], [7, 2], [3, 3]], offs: [[Float]] = [[0, 0.5], [1, 0.25], [0.5, 0.5]]
    for s in 0..<3 {
      solo.step(s, toks[s], offs[s])
      for b in 0..<2 { team.tok[b] = toks[s][b]; team.off[b] = offs[s][b] }
      Team.shared.run(members: 2) { member in
        if s == 0 { team.prepare(member) }
        if member.index == 0 { team.input(member, step: s) }
        team.step(member, step: s)
      }
      #expect((0..<(2 * 37)).allSatisfy { solo.logits[$0].bitPattern == team.logits[$0].bitPattern }, "step \(s)")
      #expect(solo.pred[0] == team.pred[0] && solo.pred[1] == team.pred[1])
    }
  }

  @Test func lengthsZeroAndOne() throws {
    let m = Self.model()
    var o = SampleOptions()
    o.length = 0; o.count = 2
    #expect(try Sampler.sample(m, options: o, members: 2, plan: [2]).allSatisfy { $0.count == 0 })
    o.length = 1
    let one = try Sampler.sample(m, options: o, members: 2, plan: [2])
    #expect(one.allSatisfy { $0.count == 1 && $0.offsets == [0] })
    #expect(one == (0..<2).map { Self.referenceMelody(m, options: o, melody: $0) })
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
