import Foundation

/// Options of `Sampler.sample`.
public struct SampleOptions: Sendable {
  /// Events to generate per melody.
  public var length = 128
  /// Nucleus mass; 0 = greedy.
  public var topP: Float = 0.6
  public var temperature: Float = 1
  public var seed: UInt64 = 0
  /// Run through the network first (not part of the output). Nil: start from a random token.
  public var prime: TokenSequence? = nil
  /// Use this offset for every generated event instead of the model's predicted offset.
  public var constantOffset: Float? = nil
  /// Independent melodies generated in one batched call.
  public var count = 1
  public init() {}
}

/// Generates melodies from a trained `GRUNet`, one step at a time for `count` melodies at once.
public enum Sampler {
  /// Returns `count` sequences of `length` events each. Without a primer the first event is a
  /// uniformly random non-PAD token (as the original) with offset 0 (or `constantOffset`), and the
  /// rest are generated; with a primer all `length` events are generated after it. Melody `b` uses
  /// its own generator seeded by (`seed`, `b`), so it does not depend on `count`.
  public static func sample(_ model: GRUNet, options o: SampleOptions) throws -> [TokenSequence] {
    let V = model.config.vocabSize
    guard o.count >= 1 else { throw NNError.invalidInput("count must be at least 1") }
    guard o.length >= 0 else { throw NNError.invalidInput("length must be >= 0") }
    guard o.topP >= 0 && o.topP <= 1 else { throw NNError.invalidInput("top_p must be in [0, 1]") }
    guard o.temperature > 0 && o.temperature.isFinite else {
      throw NNError.invalidInput("temperature must be > 0")
    }
    if let c = o.constantOffset, !(c.isFinite && c >= 0) {
      throw NNError.invalidInput("constant offset must be a finite number >= 0")
    }
    if let p = o.prime { try Trainer.validate([p], vocabSize: V) }
    let B = o.count
    var rngs = (0..<B).map { b -> SeededRNG in
      var s = o.seed ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
      return SeededRNG(seed: splitMix64(&s))
    }
    var out = [TokenSequence](repeating: TokenSequence(ids: [], offsets: []), count: B)
    if o.length == 0 { return out }
    let state = StepState(model, B: B)
    var tok = [Int32](repeating: 0, count: B)
    var off = [Float](repeating: 0, count: B)
    var remaining = o.length
    if let p = o.prime, p.count > 0 {
      for t in 0..<p.count {
        for b in 0..<B { tok[b] = Int32(p.ids[t]); off[b] = p.offsets[t] }
        state.step(tok, off)
      }
    } else {
      for b in 0..<B {
        tok[b] = Int32(1 + rngs[b].int(below: V - 1))
        off[b] = o.constantOffset ?? 0
        out[b].ids.append(Int(tok[b])); out[b].offsets.append(off[b])
      }
      remaining -= 1
      if remaining > 0 { state.step(tok, off) }
    }
    let probs = UnsafeMutablePointer<Float>.allocate(capacity: V)
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: V)
    defer { probs.deallocate(); keys.deallocate() }
    while remaining > 0 {
      for b in 0..<B {
        let id = Nucleus.draw(state.logits + b * V, V: V, temperature: o.temperature, topP: o.topP,
                              rng: &rngs[b], probs: probs, keys: keys)
        tok[b] = Int32(id)
        off[b] = o.constantOffset ?? state.pred[b]
        out[b].ids.append(id); out[b].offsets.append(off[b])
      }
      remaining -= 1
      if remaining > 0 { state.step(tok, off) }
    }
    return out
  }
}

/// The network run one time step at a time for B sequences, carrying the GRU states.
final class StepState {
  let m: GRUNet
  let B: Int, H: Int, V: Int, L: Int
  private var mem: [UnsafeMutablePointer<Float>] = []
  let x: UnsafeMutablePointer<Float>, xn: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>
  let rstd: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>
  let gh: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
  let logits: UnsafeMutablePointer<Float>, pred: UnsafeMutablePointer<Float>
  var h: [UnsafeMutablePointer<Float>], hNext: [UnsafeMutablePointer<Float>]
  var started = false
  /// Batch-1 path: per-layer input (`gi`) and recurrent (`ghAll`) pre-activations, [L, 3H] each.
  let giAll: UnsafeMutablePointer<Float>, ghAll: UnsafeMutablePointer<Float>
  let tokBuf: UnsafeMutablePointer<Int32>, offBuf: UnsafeMutablePointer<Float>

  init(_ m: GRUNet, B: Int) {
    self.m = m; self.B = B
    H = m.config.hidden; V = m.config.vocabSize; L = m.config.layers
    var list: [UnsafeMutablePointer<Float>] = []
    func f(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(p); return p
    }
    let H = self.H, V = self.V
    x = f(B * H); xn = f(B * H); mean = f(B); rstd = f(B); gates = f(B * 3 * H); hn = f(B * H)
    gh = f(B * 3 * H); a = f(B * H); y = f(B * H); logits = f(B * V); pred = f(B); offBuf = f(B)
    giAll = f(L * 3 * H); ghAll = f(L * 3 * H)
    h = (0..<L).map { _ in f(B * H) }
    hNext = (0..<L).map { _ in f(B * H) }
    mem = list
    tokBuf = .allocate(capacity: B); tokBuf.initialize(repeating: 0, count: B)
  }

  deinit { for p in mem { p.deallocate() }; tokBuf.deallocate() }

  /// Feeds one event per sequence; afterwards `logits` [B,V] and `pred` [B] predict the next one.
  func step(_ tok: [Int32], _ off: [Float]) {
    let lay = m.layout, P = m.params
    for b in 0..<B { tokBuf[b] = tok[b]; offBuf[b] = off[b] }
    if B == 1 { return stepSingle() }
    EmbeddingLayer.forward(out: x, tok: tokBuf, offset: offBuf, emb: P + lay.emb, offW: P + lay.offW,
                           offB: P + lay.offB, N: B, H: H)
    LayerNormLayer.forward(out: xn, mean: mean, rstd: rstd, x: x, w: P + lay.normW, b: P + lay.normB, N: B, H: H)
    var inp = UnsafePointer(xn)
    for l in 0..<L {
      let g = lay.gru[l]
      GRULayer.forward(hout: hNext[l], gates: gates, hn: hn, x: inp, h0: started ? UnsafePointer(h[l]) : nil,
                       wih: P + g.wih, whh: P + g.whh, bih: P + g.bih, bhh: P + g.bhh, gh: gh, T: 1, B: B, H: H)
      swap(&h[l], &hNext[l])
      inp = UnsafePointer(h[l])
    }
    started = true
    ReLULayer.forward(out: a, x: h[L - 1], n: B * H)
    LayerNormLayer.forward(out: y, mean: mean, rstd: rstd, x: a, w: P + lay.extW, b: P + lay.extB, N: B, H: H)
    ClassHead.forward(logits: logits, y: y, w: P + lay.cls, N: B, H: H, V: V)
    OffsetHead.forward(pred: pred, y: y, w: P + lay.offHead, N: B, H: H)
  }
}
