import Testing
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

  @Test(arguments: [(1, 1), (3, 2), (4, 3)])
  func gruLayer(T: Int, B: Int) {
    let H = 4, G = 3 * H, N = T * B
    let w = GradCheck.random(N * H, seed: 11)
    let inputs = [GradCheck.random(N * H, seed: 12), GradCheck.random(G * H, seed: 13, scale: 0.7),
                  GradCheck.random(G * H, seed: 14, scale: 0.7), GradCheck.random(G, seed: 15),
                  GradCheck.random(G, seed: 16)]
    var gates = [Float](repeating: 0, count: N * G), hn = [Float](repeating: 0, count: N * H)
    var gh = [Float](repeating: 0, count: B * G)
    func fwd(_ x: [[Float]]) -> [Float] {
      var h = [Float](repeating: 0, count: N * H)
      GRULayer.forward(hout: &h, gates: &gates, hn: &hn, x: x[0], h0: nil, wih: x[1], whh: x[2], bih: x[3],
                       bhh: x[4], gh: &gh, T: T, B: B, H: H)
      return h
    }
    let h = fwd(inputs)
    var g0 = [Float](repeating: 0, count: N * H), g1 = [Float](repeating: 0, count: G * H), g2 = g1
    var g3 = [Float](repeating: 0, count: G), g4 = g3
    var dh = w
    var dG = [Float](repeating: 0, count: N * G), dHN = [Float](repeating: 0, count: N * H)
    var dgh = [Float](repeating: 0, count: B * G)
    GRULayer.backward(dx: &g0, dwih: &g1, dwhh: &g2, dbih: &g3, dbhh: &g4, dhout: &dh, x: inputs[0],
                      hout: h, gates: gates, hn: hn, wih: inputs[1], whh: inputs[2], dG: &dG, dHN: &dHN,
                      dgh: &dgh, T: T, B: B, H: H)
    let g = [g0, g1, g2, g3, g4]
    GradCheck.check("gru T\(T) B\(B)", inputs: inputs, analytic: g, eps: 3e-3) { GradCheck.dot(w, fwd($0)) }

    // Prepacked W_hh gives the same bits, forward and backward.
    let hRef = fwd(inputs)  // refreshes `gates` and `hn` (the check above perturbed them)
    #expect(hRef == h)
    let pf = PackedMatrix(k: H, n: G), pb = PackedMatrix(k: G, n: H)
    inputs[2].withUnsafeBufferPointer { pf.pack(transB: true, b: $0.baseAddress!, ldb: H) }
    inputs[2].withUnsafeBufferPointer { pb.pack(transB: false, b: $0.baseAddress!, ldb: H) }
    var h2 = [Float](repeating: 0, count: N * H), gates2 = gates, hn2 = hn
    GRULayer.forward(hout: &h2, gates: &gates2, hn: &hn2, x: inputs[0], h0: nil, wih: inputs[1], whh: inputs[2],
                     bih: inputs[3], bhh: inputs[4], gh: &gh, T: T, B: B, H: H, packedWhh: pf)
    #expect(h2 == h && gates2 == gates && hn2 == hn)
    var p0 = [Float](repeating: 0, count: N * H), p1 = [Float](repeating: 0, count: G * H), p2 = p1
    var p3 = [Float](repeating: 0, count: G), p4 = p3
    var dh2 = w
    GRULayer.backward(dx: &p0, dwih: &p1, dwhh: &p2, dbih: &p3, dbhh: &p4, dhout: &dh2, x: inputs[0],
                      hout: h, gates: gates, hn: hn, wih: inputs[1], whh: inputs[2], dG: &dG, dHN: &dHN,
                      dgh: &dgh, T: T, B: B, H: H, packedWhh: pb)
    var q0 = [Float](repeating: 0, count: N * H), q1 = [Float](repeating: 0, count: G * H), q2 = q1
    var q3 = [Float](repeating: 0, count: G), q4 = q3
    var dh3 = w
    GRULayer.backward(dx: &q0, dwih: &q1, dwhh: &q2, dbih: &q3, dbhh: &q4, dhout: &dh3, x: inputs[0],
                      hout: h, gates: gates, hn: hn, wih: inputs[1], whh: inputs[2], dG: &dG, dHN: &dHN,
                      dgh: &dgh, T: T, B: B, H: H)
    #expect([p0, p1, p2, p3, p4] == [q0, q1, q2, q3, q4])
    #expect(q1 == g[1] && q4 == g[4])
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
