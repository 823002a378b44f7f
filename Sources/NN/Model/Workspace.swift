/// Activation buffers and the whole-network forward/backward for batches of up to `maxB` windows of
/// `T` steps. Layout is time-major: position `i = t*B + b`.
///
/// Forward saves what backward needs; backward accumulates parameter gradients into `model.grads`.
/// Peak memory for B 64, T 256, H 256, V 360, 2 layers is about 360 MB.
final class Workspace {
  let T: Int, maxB: Int, H: Int, V: Int, L: Int
  let training: Bool
  private var allocations: [UnsafeMutableRawPointer] = []

  // inputs (time-major)
  let inTok: UnsafeMutablePointer<Int32>, inOff: UnsafeMutablePointer<Float>
  let tgtTok: UnsafeMutablePointer<Int32>, tgtOff: UnsafeMutablePointer<Float>
  // forward activations
  let x0: UnsafeMutablePointer<Float>, y0: UnsafeMutablePointer<Float>
  let mean0: UnsafeMutablePointer<Float>, rstd0: UnsafeMutablePointer<Float>
  let gates: [UnsafeMutablePointer<Float>], hn: [UnsafeMutablePointer<Float>], h: [UnsafeMutablePointer<Float>]
  let drop: [UnsafeMutablePointer<Float>]  // inputs of layers 1..L-1 after dropout (training only)
  let a: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
  let meanE: UnsafeMutablePointer<Float>, rstdE: UnsafeMutablePointer<Float>
  let logits: UnsafeMutablePointer<Float>, pred: UnsafeMutablePointer<Float>
  // loss rows
  let rowCE: UnsafeMutablePointer<Double>, rowSL1: UnsafeMutablePointer<Double>, rowAbs: UnsafeMutablePointer<Double>
  let rowHit: UnsafeMutablePointer<UInt8>
  // backward (training only)
  let gA: UnsafeMutablePointer<Float>?, gB: UnsafeMutablePointer<Float>?
  let dG: UnsafeMutablePointer<Float>?, dHN: UnsafeMutablePointer<Float>?
  let dpred: UnsafeMutablePointer<Float>?

  /// `W_hh` of each layer packed for the recurrent steps; repacked at every forward (the weights
  /// change between steps; backward uses the packing of its forward).
  let recurrent: [GRURecurrentWeights]

  /// Batch size and dropout seed of the last forward.
  private(set) var B = 0
  private var dropoutSeed: UInt64 = 0
  private var usedDropout = false

  init(config: GRUConfig, T: Int, maxB: Int, training: Bool) {
    self.T = T; self.maxB = maxB; self.training = training
    H = config.hidden; V = config.vocabSize; L = config.layers
    let N = T * maxB, H = self.H, V = self.V, L = self.L
    var list: [UnsafeMutableRawPointer] = []
    func f(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
      p.initialize(repeating: 0, count: max(n, 1))
      list.append(UnsafeMutableRawPointer(p))
      return p
    }
    func i32(_ n: Int) -> UnsafeMutablePointer<Int32> {
      let p = UnsafeMutablePointer<Int32>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(UnsafeMutableRawPointer(p)); return p
    }
    func d(_ n: Int) -> UnsafeMutablePointer<Double> {
      let p = UnsafeMutablePointer<Double>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(UnsafeMutableRawPointer(p)); return p
    }
    inTok = i32(N); tgtTok = i32(N); inOff = f(N); tgtOff = f(N)
    x0 = f(N * H); y0 = f(N * H); mean0 = f(N); rstd0 = f(N)
    gates = (0..<L).map { _ in f(N * 3 * H) }
    hn = (0..<L).map { _ in f(N * H) }
    h = (0..<L).map { _ in f(N * H) }
    drop = training && config.dropout > 0 ? (1..<max(L, 1)).map { _ in f(N * H) } : []
    a = f(N * H); y = f(N * H); meanE = f(N); rstdE = f(N)
    logits = f(N * V); pred = f(N)
    rowCE = d(N); rowSL1 = d(N); rowAbs = d(N)
    let hit = UnsafeMutablePointer<UInt8>.allocate(capacity: N); hit.initialize(repeating: 0, count: N)
    list.append(UnsafeMutableRawPointer(hit)); rowHit = hit
    if training {
      gA = f(N * H); gB = f(N * H); dG = f(N * 3 * H); dHN = f(N * H); dpred = f(N)
    } else {
      gA = nil; gB = nil; dG = nil; dHN = nil; dpred = nil
    }
    allocations = list
    recurrent = (0..<L).map { _ in GRURecurrentWeights(H: H, training: training) }
  }

  deinit { for p in allocations { p.deallocate() } }

  /// Fills the inputs of window `b` (of a batch of `B`) from `seq[start ..< start+T+1]`, right-padded
  /// with `<PAD>` (id 0, offset 0). Input is positions 0..<T, targets are positions 1...T.
  func setWindow(_ b: Int, of B: Int, seq: TokenSequence, start: Int) {
    for t in 0..<T {
      let i = t * B + b
      let s = start + t
      inTok[i] = s < seq.count ? Int32(seq.ids[s]) : 0
      inOff[i] = s < seq.count ? seq.offsets[s] : 0
      tgtTok[i] = s + 1 < seq.count ? Int32(seq.ids[s + 1]) : 0
      tgtOff[i] = s + 1 < seq.count ? seq.offsets[s + 1] : 0
    }
  }

  /// Input of GRU layer `l` as used by the last forward.
  private func layerInput(_ l: Int) -> UnsafeMutablePointer<Float> {
    l == 0 ? y0 : (usedDropout ? drop[l - 1] : h[l - 1])
  }

  /// Runs the network on the first `B` windows; fills `logits` [T*B,V] and `pred` [T*B].
  /// Dropout is applied when `dropout` (training) with masks derived from `seed`.
  func forward(_ m: GRUNet, B: Int, dropout: Bool, seed: UInt64) {
    precondition(B <= maxB)
    self.B = B
    let N = T * B, lay = m.layout, P = m.params
    usedDropout = dropout && m.config.dropout > 0 && L > 1 && !drop.isEmpty
    dropoutSeed = seed
    StepProfile.measure("fwd embed+norm") {
      EmbeddingLayer.forward(out: x0, tok: inTok, offset: inOff, emb: P + lay.emb, offW: P + lay.offW,
                             offB: P + lay.offB, N: N, H: H)
      LayerNormLayer.forward(out: y0, mean: mean0, rstd: rstd0, x: x0, w: P + lay.normW, b: P + lay.normB,
                             N: N, H: H)
    }
    for l in 0..<L {
      if l > 0 && usedDropout {
        DropoutLayer.forward(out: drop[l - 1], x: h[l - 1], n: N * H, p: m.config.dropout,
                             seed: dropSeed(l))
      }
      let g = lay.gru[l]
      recurrent[l].pack(wih: P + g.wih, whh: P + g.whh)
      StepProfile.measure("fwd gru \(l)") {
        GRULayer.forward(hout: h[l], gates: gates[l], hn: hn[l], x: layerInput(l), h0: nil,
                         wih: P + g.wih, whh: P + g.whh, bih: P + g.bih, bhh: P + g.bhh, T: T, B: B, H: H,
                         weights: recurrent[l])
      }
    }
    StepProfile.measure("fwd relu+norm") {
      ReLULayer.forward(out: a, x: h[L - 1], n: N * H)
      LayerNormLayer.forward(out: y, mean: meanE, rstd: rstdE, x: a, w: P + lay.extW, b: P + lay.extB, N: N, H: H)
    }
    StepProfile.measure("fwd heads") {
      ClassHead.forward(logits: logits, y: y, w: P + lay.cls, N: N, H: H, V: V)
      OffsetHead.forward(pred: pred, y: y, w: P + lay.offHead, N: N, H: H)
    }
  }

  /// Seed of the dropout mask in front of GRU layer `l` (l >= 1) for the current forward.
  func dropSeed(_ l: Int) -> UInt64 {
    var s = dropoutSeed ^ (UInt64(l) &* 0x9E37_79B9_7F4A_7C15)
    return splitMix64(&s)
  }

  /// Loss of the last forward; with `grad`, also turns `logits` into dlogits and fills `dpred`.
  func loss(smoothing: Float, wCls: Float, wOff: Float, grad: Bool) -> LossLayer.Sums {
    StepProfile.measure("loss") {
      LossLayer.compute(logits: logits, pred: pred, dpred: grad ? dpred : nil, inTok: inTok, tgt: tgtTok,
                        tgtOff: tgtOff, N: T * B, V: V, smoothing: smoothing, wCls: wCls, wOff: wOff,
                        rowCE: rowCE, rowSL1: rowSL1, rowAbs: rowAbs, rowHit: rowHit)
    }
  }

  /// Backward of the last forward + `loss(grad: true)`; accumulates into `m.grads` (`+=`).
  func backward(_ m: GRUNet) {
    guard let gA, let gB, let dG, let dHN, let dpred, let G = m.grads else {
      preconditionFailure("backward needs a training workspace and gradients")
    }
    let N = T * B, lay = m.layout, P = m.params
    StepProfile.measure("bwd heads") {
      ClassHead.backward(dy: gA, dw: G + lay.cls, dlogits: logits, y: y, w: P + lay.cls, N: N, H: H, V: V)
      OffsetHead.backward(dy: gA, dw: G + lay.offHead, dpred: dpred, pred: pred, y: y, w: P + lay.offHead,
                          N: N, H: H)
    }
    StepProfile.measure("bwd norm+relu") {
      gB.update(repeating: 0, count: N * H)
      LayerNormLayer.backward(dx: gB, dw: G + lay.extW, db: G + lay.extB, dout: gA, x: a, w: P + lay.extW,
                              mean: meanE, rstd: rstdE, N: N, H: H)
      ReLULayer.backward(d: gB, x: h[L - 1], n: N * H)
    }
    var cur = gB, other = gA
    for l in stride(from: L - 1, through: 0, by: -1) {
      let g = lay.gru[l]
      StepProfile.measure("bwd gru \(l)") {
        GRULayer.backward(dx: other, dwih: G + g.wih, dwhh: G + g.whh, dbih: G + g.bih, dbhh: G + g.bhh,
                          dhout: cur, x: layerInput(l), hout: h[l], gates: gates[l], hn: hn[l],
                          wih: P + g.wih, whh: P + g.whh, dG: dG, dHN: dHN, T: T, B: B, H: H,
                          weights: recurrent[l])
      }
      if l > 0 && usedDropout {
        DropoutLayer.backward(d: other, n: N * H, p: m.config.dropout, seed: dropSeed(l))
      }
      swap(&cur, &other)
    }
    StepProfile.measure("bwd norm+embed") {
      other.update(repeating: 0, count: N * H)
      LayerNormLayer.backward(dx: other, dw: G + lay.normW, db: G + lay.normB, dout: cur, x: x0,
                              w: P + lay.normW, mean: mean0, rstd: rstd0, N: N, H: H)
      EmbeddingLayer.backward(dout: other, tok: inTok, offset: inOff, dEmb: G + lay.emb, dOffW: G + lay.offW,
                              dOffB: G + lay.offB, N: N, H: H)
    }
  }
}
