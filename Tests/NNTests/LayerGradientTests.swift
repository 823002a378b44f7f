import Testing
import Foundation
@testable import NN

/// Central-difference checks of each layer's backward against its own forward (Float), with the
/// objective `L = Σ w ⊙ out` for a fixed random `w` (so `dout = w`).
@Suite struct LayerGradientTests {
  @Test func embeddingAndOffset() {
    let N = 6, H = 4, V = 5
    let tok: [Int32] = [1, 3, 0, 3, 4, 1]
    let off = GradCheck.random(N, seed: 1, scale: 2)
    let w = GradCheck.random(N * H, seed: 2)
    let inputs = [GradCheck.random(V * H, seed: 3), GradCheck.random(H, seed: 4), GradCheck.random(H, seed: 5)]
    func fwd(_ x: [[Float]]) -> [Float] {
      var out = [Float](repeating: 0, count: N * H)
      EmbeddingLayer.forward(out: &out, tok: tok, offset: off, emb: x[0], offW: x[1], offB: x[2], N: N, H: H)
      return out
    }
    var g0 = [Float](repeating: 0, count: V * H), g1 = [Float](repeating: 0, count: H), g2 = g1
    EmbeddingLayer.backward(dout: w, tok: tok, offset: off, dEmb: &g0, dOffW: &g1, dOffB: &g2, N: N, H: H)
    let g = [g0, g1, g2]
    GradCheck.check("embedding", inputs: inputs, analytic: g) { GradCheck.dot(w, fwd($0)) }
  }

  @Test func layerNorm() {
    let N = 3, H = 6
    let w = GradCheck.random(N * H, seed: 7)
    let inputs = [GradCheck.random(N * H, seed: 8, scale: 2), GradCheck.random(H, seed: 9), GradCheck.random(H, seed: 10)]
    func fwd(_ x: [[Float]]) -> ([Float], [Float], [Float]) {
      var out = [Float](repeating: 0, count: N * H), m = [Float](repeating: 0, count: N), r = m
      LayerNormLayer.forward(out: &out, mean: &m, rstd: &r, x: x[0], w: x[1], b: x[2], N: N, H: H)
      return (out, m, r)
    }
    let (_, m, r) = fwd(inputs)
    var g0 = [Float](repeating: 0, count: N * H), g1 = [Float](repeating: 0, count: H), g2 = g1
    LayerNormLayer.backward(dx: &g0, dw: &g1, db: &g2, dout: w, x: inputs[0], w: inputs[1], mean: m, rstd: r,
                            N: N, H: H)
    let g = [g0, g1, g2]
    GradCheck.check("layernorm", inputs: inputs, analytic: g, eps: 3e-3) { GradCheck.dot(w, fwd($0).0) }
  }

  /// H 4: one unit panel; H 20: two (the second ragged), split between two team members.
  @Test(arguments: [(1, 1, 4), (3, 2, 4), (4, 3, 4), (3, 2, 20)])
  func gruLayer(T: Int, B: Int, H: Int) {
    Self.checkGRU(steps: .uniform(T: T, B: B), H: H)
  }

  /// Sequences of lengths 4, 3 and 1 packed (see `StepRows`).
  @Test func gruLayerPacked() {
    Self.checkGRU(steps: .lengths([4, 3, 1]), H: 4)
  }

  static func checkGRU(steps: StepRows, H: Int) {
    let G = 3 * H, N = steps.rows
    let w = GradCheck.random(N * H, seed: 11)
    let inputs = [GradCheck.random(N * H, seed: 12), GradCheck.random(G * H, seed: 13, scale: 0.7),
                  GradCheck.random(G * H, seed: 14, scale: 0.7), GradCheck.random(G, seed: 15),
                  GradCheck.random(G, seed: 16)]
    var gates = [Float](repeating: 0, count: N * G), hn = [Float](repeating: 0, count: N * H)
    func fwd(_ x: [[Float]]) -> [Float] {
      var h = [Float](repeating: 0, count: N * H)
      GRULayer.forward(hout: &h, gates: &gates, hn: &hn, x: x[0], h0: nil, wih: x[1], whh: x[2], bih: x[3],
                       bhh: x[4], steps: steps, H: H)
      return h
    }
    let h = fwd(inputs)
    var g0 = [Float](repeating: 0, count: N * H), g1 = [Float](repeating: 0, count: G * H), g2 = g1
    var g3 = [Float](repeating: 0, count: G), g4 = g3
    var dh = w
    var dG = [Float](repeating: 0, count: N * G), dHN = [Float](repeating: 0, count: N * H)
    GRULayer.backward(dx: &g0, dwih: &g1, dwhh: &g2, dbih: &g3, dbhh: &g4, dhout: &dh, x: inputs[0],
                      hout: h, gates: gates, hn: hn, wih: inputs[1], whh: inputs[2], dG: &dG, dHN: &dHN,
                      steps: steps, H: H)
    let g = [g0, g1, g2, g3, g4]
    GradCheck.check("gru \(steps.counts) H\(H)", inputs: inputs, analytic: g, eps: 3e-3) { GradCheck.dot(w, fwd($0)) }
  }

  /// The recurrent steps split by unit panels among team members give the same bits as one member,
  /// and the forward equals a plain loop over the PyTorch equations.
  @Test(arguments: [(5, 7, 40), (3, 64, 48), (2, 3, 7)])
  func gruTeamSplit(T: Int, B: Int, H: Int) {
    let G = 3 * H, N = T * B
    let x = GradCheck.random(N * H, seed: 21), wih = GradCheck.random(G * H, seed: 22, scale: 0.3)
    let whh = GradCheck.random(G * H, seed: 23, scale: 0.3), bih = GradCheck.random(G, seed: 24)
    let bhh = GradCheck.random(G, seed: 25), dhTop = GradCheck.random(N * H, seed: 26)
    func run(threads: Int) -> [[Float]] {
      let saved = Parallel.threads
      Parallel.threads = threads
      defer { Parallel.threads = saved }
      var h = [Float](repeating: 0, count: N * H), gates = [Float](repeating: 0, count: N * G)
      var hn = [Float](repeating: 0, count: N * H)
      GRULayer.forward(hout: &h, gates: &gates, hn: &hn, x: x, h0: nil, wih: wih, whh: whh, bih: bih, bhh: bhh,
                       steps: .uniform(T: T, B: B), H: H)
      var dx = [Float](repeating: 0, count: N * H), dwih = [Float](repeating: 0, count: G * H), dwhh = dwih
      var dbih = [Float](repeating: 0, count: G), dbhh = dbih, dh = dhTop
      var dG = [Float](repeating: 0, count: N * G), dHN = [Float](repeating: 0, count: N * H)
      GRULayer.backward(dx: &dx, dwih: &dwih, dwhh: &dwhh, dbih: &dbih, dbhh: &dbhh, dhout: &dh, x: x, hout: h,
                        gates: gates, hn: hn, wih: wih, whh: whh, dG: &dG, dHN: &dHN,
                        steps: .uniform(T: T, B: B), H: H)
      return [h, gates, hn, dx, dwih, dwhh, dbih, dbhh]
    }
    let one = run(threads: 1), two = run(threads: 2), three = run(threads: 3)
    #expect(one == two)
    #expect(one == three)

    // Reference forward in Double.
    var hPrev = [Double](repeating: 0, count: B * H)
    var maxErr = 0.0
    for t in 0..<T {
      var hNew = hPrev
      for b in 0..<B {
        let xi = (t * B + b) * H
        func dot(_ w: [Float], _ row: Int, _ v: (Int) -> Double) -> Double {
          var s = 0.0
          for k in 0..<H { s += Double(w[row * H + k]) * v(k) }
          return s
        }
        for u in 0..<H {
          let gi = (0..<3).map { dot(wih, $0 * H + u) { Double(x[xi + $0]) } + Double(bih[$0 * H + u]) }
          let gh = (0..<3).map { dot(whh, $0 * H + u) { hPrev[b * H + $0] } + Double(bhh[$0 * H + u]) }
          let r = 1 / (1 + exp(-(gi[0] + gh[0]))), z = 1 / (1 + exp(-(gi[1] + gh[1])))
          let n = tanh(gi[2] + r * gh[2])
          hNew[b * H + u] = (1 - z) * n + z * hPrev[b * H + u]
          maxErr = max(maxErr, abs(hNew[b * H + u] - Double(one[0][xi + u])))
        }
      }
      hPrev = hNew
    }
    #expect(maxErr < 1e-5, "max |h - reference| = \(maxErr)")
  }

  @Test func reluAndDropout() {
    let n = 40
    let x = GradCheck.random(n, seed: 17).map { abs($0) < 0.05 ? $0 + 0.2 : $0 }  // avoid the kink
    let w = GradCheck.random(n, seed: 18)
    var d = w
    ReLULayer.backward(d: &d, x: x, n: n)
    GradCheck.check("relu", inputs: [x], analytic: [d]) { v in
      var o = [Float](repeating: 0, count: n); ReLULayer.forward(out: &o, x: v[0], n: n); return GradCheck.dot(w, o)
    }
    var dd = w
    DropoutLayer.backward(d: &dd, n: n, p: 0.3, seed: 99)
    GradCheck.check("dropout", inputs: [x], analytic: [dd]) { v in
      var o = [Float](repeating: 0, count: n)
      DropoutLayer.forward(out: &o, x: v[0], n: n, p: 0.3, seed: 99)
      return GradCheck.dot(w, o)
    }
    let dropped = dd.indices.filter { dd[$0] == 0 }.count
    #expect(dropped > 3 && dropped < 25)
  }

  @Test func heads() {
    let N = 5, H = 4, V = 6
    let wl = GradCheck.random(N * V, seed: 19), wp = GradCheck.random(N, seed: 20)
    let inputs = [GradCheck.random(N * H, seed: 21), GradCheck.random(V * H, seed: 22), GradCheck.random(H, seed: 23)]
    func fwd(_ x: [[Float]]) -> Double {
      var logits = [Float](repeating: 0, count: N * V), pred = [Float](repeating: 0, count: N)
      ClassHead.forward(logits: &logits, y: x[0], w: x[1], N: N, H: H, V: V)
      OffsetHead.forward(pred: &pred, y: x[0], w: x[2], N: N, H: H)
      return GradCheck.dot(wl, logits) + GradCheck.dot(wp, pred)
    }
    var pred = [Float](repeating: 0, count: N)
    OffsetHead.forward(pred: &pred, y: inputs[0], w: inputs[2], N: N, H: H)
    #expect(pred.contains(0) && pred.contains { $0 > 0 })  // both sides of the ReLU are exercised
    var g0 = [Float](repeating: 0, count: N * H), g1 = [Float](repeating: 0, count: V * H)
    var g2 = [Float](repeating: 0, count: H)
    ClassHead.backward(dy: &g0, dw: &g1, dlogits: wl, y: inputs[0], w: inputs[1], N: N, H: H, V: V)
    OffsetHead.backward(dy: &g0, dw: &g2, dpred: wp, pred: pred, y: inputs[0], w: inputs[2], N: N, H: H)
    let g = [g0, g1, g2]
    GradCheck.check("heads", inputs: inputs, analytic: g, eps: 1e-3, loss: fwd)
  }

  @Test(arguments: [Float(0), 0.1])
  func loss(smoothing: Float) {
    let N = 6, V = 5
    let inTok: [Int32] = [1, 2, 0, 3, 4, 2]
    let tgt: [Int32] = [2, 0, 0, 4, 1, 3]  // 0 = ignored
    let tgtOff: [Float] = [0.5, 0, 0, 2.5, 0.25, 1]
    let inputs = [GradCheck.random(N * V, seed: 24, scale: 2), [0.3, 0.8, 1.2, 0.1, 0.4, 3.0]]
    var rowCE = [Double](repeating: 0, count: N), rowSL1 = rowCE, rowAbs = rowCE
    var hit = [UInt8](repeating: 0, count: N)
    func run(_ x: [[Float]], grad: Bool) -> (Double, [Float], [Float]) {
      var logits = x[0]
      var dpred = [Float](repeating: 0, count: N)
      let s = dpred.withUnsafeMutableBufferPointer { dp in
        LossLayer.compute(logits: &logits, pred: x[1], dpred: grad ? dp.baseAddress : nil, inTok: inTok, tgt: tgt,
                          tgtOff: tgtOff, N: N, V: V, smoothing: smoothing, wCls: 1.5, wOff: 10,
                          rowCE: &rowCE, rowSL1: &rowSL1, rowAbs: &rowAbs, rowHit: &hit)
      }
      #expect(s.ceCount == 4 && s.positions == N)
      return (s.loss(wCls: 1.5, wOff: 10), logits, dpred)
    }
    let (_, dlogits, dpred) = run(inputs, grad: true)
    for j in 0..<V { #expect(dlogits[1 * V + j] == 0 && dlogits[2 * V + j] == 0) }  // ignored rows
    #expect(dpred[2] == 0)  // PAD input: masked
    GradCheck.check("loss", inputs: inputs, analytic: [dlogits, dpred], eps: 1e-3) { run($0, grad: false).0 }
  }
}
