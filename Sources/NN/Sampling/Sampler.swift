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
///
/// Matrix–vector products use `HalfWeights` (binary16 copies made when the state is created), split
/// by output rows over the threads, in `layers + 1` parallel regions per step:
///
///     region 1:  gi_0 = W_ih0 x,  gh_l = W_hh_l h_l (every layer: they depend only on old states)
///     region l:  gi_l = W_ih_l h_{l-1}'                        (l = 1..<L)
///     last:      logits = W_cls y
///
/// Every output's arithmetic is fixed by `H` (not by the split, the thread count or B), so melody b
/// does not depend on how many melodies are sampled together.
final class StepState {
  let m: GRUNet
  let B: Int, H: Int, V: Int, L: Int
  let half: HalfWeights
  private var mem: [UnsafeMutablePointer<Float>] = []
  let x: UnsafeMutablePointer<Float>, xn: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>
  let rstd: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>
  let a: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
  let logits: UnsafeMutablePointer<Float>, pred: UnsafeMutablePointer<Float>
  /// Per-layer input (`gi`) and recurrent (`gh`) pre-activations, [L, B, 3H] each.
  let gi: UnsafeMutablePointer<Float>, gh: UnsafeMutablePointer<Float>
  var h: [UnsafeMutablePointer<Float>], hNext: [UnsafeMutablePointer<Float>]
  var started = false
  let tokBuf: UnsafeMutablePointer<Int32>, offBuf: UnsafeMutablePointer<Float>

  init(_ m: GRUNet, B: Int) {
    self.m = m; self.B = B
    H = m.config.hidden; V = m.config.vocabSize; L = m.config.layers
    half = HalfWeights(m)
    var list: [UnsafeMutablePointer<Float>] = []
    func f(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(p); return p
    }
    let H = self.H, V = self.V, L = self.L
    x = f(B * H); xn = f(B * H); mean = f(B); rstd = f(B); hn = f(H)
    a = f(B * H); y = f(B * H); logits = f(B * V); pred = f(B); offBuf = f(B)
    gi = f(L * B * 3 * H); gh = f(L * B * 3 * H)
    h = (0..<L).map { _ in f(B * H) }
    hNext = (0..<L).map { _ in f(B * H) }
    mem = list
    tokBuf = .allocate(capacity: B); tokBuf.initialize(repeating: 0, count: B)
  }

  deinit { for p in mem { p.deallocate() }; tokBuf.deallocate() }

  /// Rows `0..<rows` split into `parts` ranges at multiples of 4.
  @inline(__always)
  static func part(_ p: Int, of parts: Int, rows: Int) -> Range<Int> {
    let groups = (rows + 3) / 4
    return min(rows, groups * p / parts * 4)..<min(rows, groups * (p + 1) / parts * 4)
  }

  /// Feeds one event per sequence; afterwards `logits` [B,V] and `pred` [B] predict the next one.
  func step(_ tok: [Int32], _ off: [Float]) {
    let lay = m.layout, P = m.params, H = self.H, G = 3 * H, L = self.L, V = self.V, B = self.B
    for b in 0..<B { tokBuf[b] = tok[b]; offBuf[b] = off[b] }
    // Two threads only when a region's work outweighs waking a worker (batch-1 steps are faster
    // on one core: ~1.7 MB of weights per step, the wake-up costs more than the split saves).
    let parts = Parallel.threads > 1 && B * H >= 1024 ? 2 : 1
    EmbeddingLayer.forward(out: x, tok: tokBuf, offset: offBuf, emb: P + lay.emb, offW: P + lay.offW,
                           offB: P + lay.offB, N: B, H: H)
    LayerNormLayer.forward(out: xn, mean: mean, rstd: rstd, x: x, w: P + lay.normW, b: P + lay.normB, N: B, H: H)
    let started = self.started, hs = h, gi = self.gi, gh = self.gh, xn = self.xn, half = self.half
    Parallel.forEach(parts, threads: parts) { p in
      let r = Self.part(p, of: parts, rows: G)
      HalfWeights.gemv(half.wih[0], rows: r, k: H, x: xn, ldx: H, B: B, y: gi, ldy: G)
      if started {
        for l in 0..<L {
          HalfWeights.gemv(half.whh[l], rows: r, k: H, x: hs[l], ldx: H, B: B, y: gh + l * B * G, ldy: G)
        }
      }
    }
    if !started { gh.update(repeating: 0, count: L * B * G) }
    for l in 0..<L {
      let g = lay.gru[l]
      if l > 0 {
        let inp = UnsafePointer(h[l - 1]), out = gi + l * B * G, w = half.wih[l]
        Parallel.forEach(parts, threads: parts) { p in
          HalfWeights.gemv(w, rows: Self.part(p, of: parts, rows: G), k: H, x: inp, ldx: H, B: B, y: out, ldy: G)
        }
      }
      for b in 0..<B {
        GateMath.forward(g: gi + (l * B + b) * G, s: gh + (l * B + b) * G, bih: P + g.bih, bhh: P + g.bhh,
                         hprev: started ? UnsafePointer(h[l] + b * H) : nil, hn: hn, h: hNext[l] + b * H, H: H)
      }
      swap(&h[l], &hNext[l])
    }
    self.started = true
    ReLULayer.forward(out: a, x: h[L - 1], n: B * H)
    LayerNormLayer.forward(out: y, mean: mean, rstd: rstd, x: a, w: P + lay.extW, b: P + lay.extB, N: B, H: H)
    let y = self.y, logits = self.logits
    Parallel.forEach(parts, threads: parts) { p in
      HalfWeights.gemv(half.cls, rows: Self.part(p, of: parts, rows: V), k: H, x: y, ldx: H, B: B, y: logits, ldy: V)
    }
    for b in 0..<B { pred[b] = max(0, VectorMath.dot(y + b * H, P + lay.offHead, count: H)) }
  }
}
