import Testing
@testable import NN

/// The whole network: the fast Float forward agrees with the independent Double reference, and the
/// analytic gradient of every parameter agrees with central differences of the Double reference.
@Suite struct NetworkGradientTests {
  static func tinySetup(layers: Int, dropout: Float, inputDropout: Float = 0,
                        headDropout: Float = 0, weightDrop: Float = 0) -> (GRUNet, Workspace) {
    let V = 7, H = 5, T = 4, B = 3
    let m = GRUNet(config: GRUConfig(vocabSize: V, hidden: H, layers: layers, dropout: dropout),
                   vocab: ["<PAD>"] + (1..<V).map { "t\($0)" }, seed: 3)
    m.ensureTrainingState()
    let ws = Workspace(config: m.config, T: T, maxB: B, training: true, inputDropout: inputDropout,
                       headDropout: headDropout, recurrentDropout: weightDrop)
    let seqs = [
      TokenSequence(ids: [3, 1, 4, 1, 5, 6], offsets: [0.5, 1, 0.25, 2.5, 0, 1.5]),
      TokenSequence(ids: [2, 6, 5], offsets: [0, 0.75, 3]),  // right-padded, target PAD
      TokenSequence(ids: [6, 2, 2, 3, 1], offsets: [1, 0.5, 0.5, 4, 0.25]),
    ]
    ws.setWindow(0, of: B, seq: seqs[0], start: 1)
    ws.setWindow(1, of: B, seq: seqs[1], start: 0)
    ws.setWindow(2, of: B, seq: seqs[2], start: 0)
    return (m, ws)
  }

  /// The batch of the last forward, read back from the workspace's rows (padding: `<PAD>`, 0).
  static func referenceBatch(_ ws: Workspace) -> ReferenceGRUNet.Batch {
    let B = ws.B, T = ws.T
    func col<E>(_ p: UnsafeMutablePointer<E>, _ f: (E) -> Double) -> [[Double]] {
      (0..<B).map { b in (0..<T).map { t in ws.row(t: t, b: b).map { f(p[$0]) } ?? 0 } }
    }
    return ReferenceGRUNet.Batch(
      tok: col(ws.inTok) { Double($0) }.map { $0.map { Int($0) } }, off: col(ws.inOff) { Double($0) },
      tgt: col(ws.tgtTok) { Double($0) }.map { $0.map { Int($0) } }, tgtOff: col(ws.tgtOff) { Double($0) })
  }

  /// (layers, dropout between layers, input dropout, heads' dropout, weight drop)
  @Test(arguments: [(1, Float(0), Float(0), Float(0), Float(0)), (2, 0, 0, 0, 0), (2, 0.4, 0, 0, 0),
                    (1, 0, 0, 0.5, 0), (2, 0.4, 0, 0.3, 0), (1, 0, 0.5, 0, 0), (1, 0, 0, 0, 0.5),
                    (2, 0.4, 0.3, 0.3, 0.3)])
  func wholeNetwork(layers: Int, dropout: Float, inDropout: Float, outDropout: Float, weightDrop: Float) {
    let (m, ws) = Self.tinySetup(layers: layers, dropout: dropout, inputDropout: inDropout, headDropout: outDropout,
                                 weightDrop: weightDrop)
    // setWindow needs B before forward; forward sets it.
    ws.forward(m, B: 3, dropout: true, seed: 77)
    let batch = Self.referenceBatch(ws)
    #expect(batch.tgt[1][2] == 0 && batch.tok[1][3] == 0)  // padding is exercised
    let smoothing = 0.1, wCls = 1.0, wOff = 10.0
    let sums = ws.loss(smoothing: Float(smoothing), wCls: Float(wCls), wOff: Float(wOff), grad: true)
    let fast = sums.loss(wCls: Float(wCls), wOff: Float(wOff))
    let p = m.config.dropout
    #expect(ws.steps.counts == [3, 3, 3, 2] && ws.order == [0, 2, 1])  // the short window is packed last
    // The reference's time-major index (t·B + b)·H + u is row row(t, b) of the workspace; padding
    // positions are not computed there (and cannot change the loss), so any multiplier does.
    let H = m.config.hidden, B = ws.B
    let between = dropout > 0 && layers > 1
    let mask: ((Int, Int) -> Double)? = between || outDropout > 0 || inDropout > 0
      ? { l, i in
        let q = l == layers ? outDropout : (l == 0 ? inDropout : (between ? p : 0))
        guard q > 0, let r = ws.row(t: i / H / B, b: i / H % B) else { return 1 }
        return hashUniform(seed: ws.dropSeed(l), index: r * H + i % H) < q ? 0 : Double(1 / (1 - q))
      } : nil
    let whhMask: ((Int, Int) -> Double)? = weightDrop > 0
      ? { l, i in hashUniform(seed: ws.weightDropSeed(l), index: i) < weightDrop ? 0 : Double(1 / (1 - weightDrop)) }
      : nil
    var ref = ReferenceGRUNet(m)
    let r = ref.run(batch, smoothing: smoothing, wCls: wCls, wOff: wOff, dropMask: mask, whhMask: whhMask)
    #expect(abs(r.loss - fast) <= 1e-5 * max(1, abs(r.loss)), "fast \(fast) vs reference \(r.loss)")
    m.grads!.update(repeating: 0, count: m.parameterCount)
    ws.backward(m)
    let eps = 1e-5
    var bad = 0
    for t in m.layout.tensors {
      for i in t.offset..<(t.offset + t.count) {
        let old = ref.p[i]
        ref.p[i] = old + eps
        let lp = ref.run(batch, smoothing: smoothing, wCls: wCls, wOff: wOff, dropMask: mask, whhMask: whhMask).loss
        ref.p[i] = old - eps
        let lm = ref.run(batch, smoothing: smoothing, wCls: wCls, wOff: wOff, dropMask: mask, whhMask: whhMask).loss
        ref.p[i] = old
        let num = (lp - lm) / (2 * eps)
        let a = Double(m.grads![i])
        if abs(a - num) > 1e-4 + 2e-3 * max(abs(a), abs(num)) {
          bad += 1
          if bad <= 5 { Issue.record("\(t.name)[\(i - t.offset)]: analytic \(a), numeric \(num)") }
        }
      }
    }
    #expect(bad == 0)
    // Every tensor receives some gradient.
    for t in m.layout.tensors {
      let g = (t.offset..<(t.offset + t.count)).map { abs(m.grads![$0]) }.max()!
      #expect(g > 0, "\(t.name) has zero gradient")
    }
  }
}
