/// Activation buffers and the whole-network forward/backward for batches of up to `maxB` windows of
/// `T` steps.
///
/// Layout: the windows are sorted by length (events before the `<PAD>` tail), longest first, and
/// only their real positions are stored, time-major as `steps` describes (see `StepRows`): row
/// `steps.starts[t] + j` is step `t` of the `j`-th longest window; `row(t:b:)` finds it. The padded
/// tail of a window is never computed: its inputs are `<PAD>` and its targets `<PAD>`, so it adds
/// nothing to the loss (masked cross-entropy, masked SmoothL1) and, the GRU being causal, nothing to
/// any gradient; the offset loss is still a mean over all `T·B` positions, as the original's.
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
  /// `y0` after the input dropout (a training workspace with `inputDropout` > 0 only).
  let xd: UnsafeMutablePointer<Float>?
  /// `y` after the heads' dropout (a training workspace with `headDropout` > 0 only).
  let yd: UnsafeMutablePointer<Float>?
  /// Training-only dropout that is not part of the original model (train's `dropout_in` and
  /// `dropout_out`): on the first GRU layer's input and on the features the heads read.
  let inputDropout: Float, headDropout: Float
  /// DropConnect on each layer's `W_hh` (train's `weight_drop`, AWD-LSTM's weight-dropped RNN): one mask
  /// per layer and forward, shared by every row and time step. `whhDropped[l]` is the masked `W_hh` the
  /// last forward used, `dWhhDropped` the scratch of its gradient (training workspaces with it only).
  let recurrentDropout: Float
  let whhDropped: [UnsafeMutablePointer<Float>], dWhhDropped: UnsafeMutablePointer<Float>?
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

  /// Windows given by `setWindow` for the next forward.
  private var windows: [(seq: TokenSequence, start: Int)?]
  /// Batch size, row layout and window order (by rank: `order[j]` is the `j`-th longest window) of
  /// the last forward; `rank[b]` and `lengths[b]` by window.
  private(set) var B = 0
  private(set) var steps = StepRows(counts: [])
  private(set) var order: [Int] = [], rank: [Int] = [], lengths: [Int] = []
  /// Rows of the last forward.
  var N: Int { steps.rows }
  /// Dropout seed of the last forward.
  private var dropoutSeed: UInt64 = 0
  private var usedDropout = false
  /// The last forward applied `inputDropout` (layer 0 reads `xd`) and `headDropout` (the heads read `yd`).
  private var usedInputDropout = false, usedHeadDropout = false
  /// The last forward used `whhDropped` (`recurrentDropout`).
  private var usedRecurrentDropout = false

  /// `inputDropout`, `headDropout` and `recurrentDropout` are the rates of the training-only dropouts (0:
  /// none, and no buffer); an evaluation workspace (`training` false) has none of them.
  init(config: GRUConfig, T: Int, maxB: Int, training: Bool, inputDropout: Float = 0, headDropout: Float = 0,
       recurrentDropout: Float = 0) {
    precondition([inputDropout, headDropout, recurrentDropout].allSatisfy { $0 >= 0 && $0 < 1 })
    self.T = T; self.maxB = maxB; self.training = training
    self.inputDropout = training ? inputDropout : 0
    self.headDropout = training ? headDropout : 0
    self.recurrentDropout = training ? recurrentDropout : 0
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
    xd = self.inputDropout > 0 ? f(N * H) : nil
    yd = self.headDropout > 0 ? f(N * H) : nil
    whhDropped = self.recurrentDropout > 0 ? (0..<L).map { _ in f(3 * H * H) } : []
    dWhhDropped = self.recurrentDropout > 0 ? f(3 * H * H) : nil
    allocations = list
    windows = Array(repeating: nil, count: maxB)
    recurrent = (0..<L).map { _ in GRURecurrentWeights(H: H, training: training) }
  }

  deinit { for p in allocations { p.deallocate() } }

  /// Sets window `b` (of a batch of `B`) of the next forward to `seq[start ..< start+T+1]`,
  /// right-padded with `<PAD>` (id 0, offset 0). Input is positions 0..<T, targets are 1...T.
  func setWindow(_ b: Int, of B: Int, seq: TokenSequence, start: Int) {
    precondition(b >= 0 && b < min(B, maxB))
    windows[b] = (seq, start)
  }

  /// Row of step `t` of window `b` in the last forward, or nil if that position is padding.
  func row(t: Int, b: Int) -> Int? {
    t >= 0 && t < lengths[b] ? steps.starts[t] + rank[b] : nil
  }

  /// Sorts the first `B` windows by length and fills the inputs and targets of their real positions.
  private func layOut(_ B: Int) {
    lengths = (0..<B).map { b in
      guard let w = windows[b] else { preconditionFailure("window \(b) of \(B) was not set") }
      return max(0, min(T, w.seq.count - w.start))
    }
    order = (0..<B).sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
    rank = [Int](repeating: 0, count: B)
    for (j, b) in order.enumerated() { rank[b] = j }
    steps = .lengths(order.map { lengths[$0] })
    for (j, b) in order.enumerated() {
      let (seq, start) = windows[b]!
      for t in 0..<lengths[b] {
        let i = steps.starts[t] + j, s = start + t
        inTok[i] = Int32(seq.ids[s]); inOff[i] = seq.offsets[s]
        tgtTok[i] = s + 1 < seq.count ? Int32(seq.ids[s + 1]) : 0
        tgtOff[i] = s + 1 < seq.count ? seq.offsets[s + 1] : 0
      }
    }
    for b in 0..<B { windows[b] = nil }
  }

  /// Input of GRU layer `l` as used by the last forward.
  private func layerInput(_ l: Int) -> UnsafeMutablePointer<Float> {
    if l == 0 { return usedInputDropout ? xd! : y0 }
    return usedDropout ? drop[l - 1] : h[l - 1]
  }

  /// What the heads read in the last forward: `y`, or `y` after the heads' dropout.
  private var headInput: UnsafeMutablePointer<Float> {
    usedHeadDropout ? yd! : y
  }

  /// Runs the network on the `B` windows set by `setWindow`; fills `logits` [N,V] and `pred` [N].
  /// Dropout is applied when `dropout` (training) with masks derived from `seed`: the model's own
  /// between GRU layers (the original's; the mask of layer `l` in front of layer `l`), and this
  /// workspace's `inputDropout` (mask 0) and `headDropout` (the mask of "layer" `L`).
  func forward(_ m: GRUNet, B: Int, dropout: Bool, seed: UInt64) {
    precondition(B <= maxB)
    self.B = B
    layOut(B)
    let N = self.N, lay = m.layout, P = m.params
    usedDropout = dropout && m.config.dropout > 0 && L > 1 && !drop.isEmpty
    usedInputDropout = dropout && xd != nil
    usedHeadDropout = dropout && yd != nil
    usedRecurrentDropout = dropout && !whhDropped.isEmpty
    dropoutSeed = seed
    StepProfile.measure("fwd embed+norm") {
      EmbeddingLayer.forward(out: x0, tok: inTok, offset: inOff, emb: P + lay.emb, offW: P + lay.offW,
                             offB: P + lay.offB, N: N, H: H)
      LayerNormLayer.forward(out: y0, mean: mean0, rstd: rstd0, x: x0, w: P + lay.normW, b: P + lay.normB,
                             N: N, H: H)
      if usedInputDropout, let xd {
        DropoutLayer.forward(out: xd, x: y0, n: N * H, p: inputDropout, seed: dropSeed(0))
      }
    }
    for l in 0..<L {
      if l > 0 && usedDropout {
        DropoutLayer.forward(out: drop[l - 1], x: h[l - 1], n: N * H, p: m.config.dropout,
                             seed: dropSeed(l))
      }
      let g = lay.gru[l]
      let whh = recurrentWeights(l, P + g.whh)
      recurrent[l].pack(wih: P + g.wih, whh: whh)
      StepProfile.measure("fwd gru \(l)") {
        GRULayer.forward(hout: h[l], gates: gates[l], hn: hn[l], x: layerInput(l), h0: nil,
                         wih: P + g.wih, whh: whh, bih: P + g.bih, bhh: P + g.bhh, steps: steps, H: H,
                         weights: recurrent[l])
      }
    }
    StepProfile.measure("fwd relu+norm") {
      ReLULayer.forward(out: a, x: h[L - 1], n: N * H)
      LayerNormLayer.forward(out: y, mean: meanE, rstd: rstdE, x: a, w: P + lay.extW, b: P + lay.extB, N: N, H: H)
      if usedHeadDropout, let yd {
        DropoutLayer.forward(out: yd, x: y, n: N * H, p: headDropout, seed: dropSeed(L))
      }
    }
    let z = headInput
    StepProfile.measure("fwd heads") {
      ClassHead.forward(logits: logits, y: z, w: P + lay.cls, N: N, H: H, V: V)
      OffsetHead.forward(pred: pred, y: z, w: P + lay.offHead, N: N, H: H)
    }
  }

  /// Layer `l`'s `W_hh` as the forward uses it: the model's, or (`recurrentDropout`) a masked copy in
  /// `whhDropped[l]`, made here.
  private func recurrentWeights(_ l: Int, _ whh: UnsafePointer<Float>) -> UnsafePointer<Float> {
    guard usedRecurrentDropout else { return whh }
    DropoutLayer.forward(out: whhDropped[l], x: whh, n: 3 * H * H, p: recurrentDropout, seed: weightDropSeed(l))
    return UnsafePointer(whhDropped[l])
  }

  /// Seed of layer `l`'s `W_hh` mask (`recurrentDropout`) for the current forward.
  func weightDropSeed(_ l: Int) -> UInt64 { dropSeed(L + 1 + l) }

  /// Seed of the dropout mask in front of GRU layer `l` (0: the input dropout; `L`: the heads') for
  /// the current forward.
  func dropSeed(_ l: Int) -> UInt64 {
    var s = dropoutSeed ^ (UInt64(l) &* 0x9E37_79B9_7F4A_7C15)
    return splitMix64(&s)
  }

  /// Loss of the last forward; with `grad`, also turns `logits` into dlogits and fills `dpred`.
  func loss(smoothing: Float, wCls: Float, wOff: Float, grad: Bool) -> LossLayer.Sums {
    StepProfile.measure("loss") {
      LossLayer.compute(logits: logits, pred: pred, dpred: grad ? dpred : nil, inTok: inTok, tgt: tgtTok,
                        tgtOff: tgtOff, N: N, positions: T * B, V: V, smoothing: smoothing, wCls: wCls, wOff: wOff,
                        rowCE: rowCE, rowSL1: rowSL1, rowAbs: rowAbs, rowHit: rowHit)
    }
  }

  /// Backward of the last forward + `loss(grad: true)`; accumulates into `m.grads` (`+=`).
  func backward(_ m: GRUNet) {
    guard let gA, let gB, let dG, let dHN, let dpred, let G = m.grads else {
      preconditionFailure("backward needs a training workspace and gradients")
    }
    let N = self.N, lay = m.layout, P = m.params
    let z = headInput
    StepProfile.measure("bwd heads") {
      ClassHead.backward(dy: gA, dw: G + lay.cls, dlogits: logits, y: z, w: P + lay.cls, N: N, H: H, V: V)
      OffsetHead.backward(dy: gA, dw: G + lay.offHead, dpred: dpred, pred: pred, y: z, w: P + lay.offHead,
                          N: N, H: H)
      if usedHeadDropout { DropoutLayer.backward(d: gA, n: N * H, p: headDropout, seed: dropSeed(L)) }
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
        // With DropConnect the gradient is that of the masked copy, masked: dW = mask · dW' / (1-p).
        let dwhh = usedRecurrentDropout ? dWhhDropped! : G + g.whh
        if usedRecurrentDropout { dwhh.update(repeating: 0, count: 3 * H * H) }
        GRULayer.backward(dx: other, dwih: G + g.wih, dwhh: dwhh, dbih: G + g.bih, dbhh: G + g.bhh,
                          dhout: cur, x: layerInput(l), hout: h[l], gates: gates[l], hn: hn[l],
                          wih: P + g.wih, whh: usedRecurrentDropout ? whhDropped[l] : P + g.whh, dG: dG, dHN: dHN,
                          steps: steps, H: H, weights: recurrent[l])
        if usedRecurrentDropout {
          DropoutLayer.backward(d: dwhh, n: 3 * H * H, p: recurrentDropout, seed: weightDropSeed(l))
          VectorMath.axpy(1, dwhh, G + g.whh, count: 3 * H * H)
        }
      }
      if l > 0 && usedDropout {
        DropoutLayer.backward(d: other, n: N * H, p: m.config.dropout, seed: dropSeed(l))
      } else if l == 0 && usedInputDropout {
        DropoutLayer.backward(d: other, n: N * H, p: inputDropout, seed: dropSeed(0))
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
