import Foundation

/// Sampling with the model's float32 weights as they are (`sample(..., exact: true)`), for users who
/// need PyTorch's numbers: one event at a time, one melody after another, plain float32 arithmetic
/// (SIMD dot products; libm `expf`/`tanhf`). The fast `Sampler` reads binary16 copies of the GRU and
/// output matrices, so its logits differ from PyTorch's by ~1e-4 and its offsets by up to ~4e-4; this
/// path differs from PyTorch only by the rounding order of the sums (~1e-6). Same options, seeds and
/// token draws (`Nucleus.draw`) as `Sampler`; about ten times slower (one thread, no batching).
///
///     x = LayerNorm(emb[tok] + off.weight·offset + off.bias)
///     per layer: r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(…z…), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
///                h' = (1 − z) ⊙ n + z ⊙ h;  x = h'
///     y = LayerNorm(ReLU(x));  logits = fc_class·y;  offset = ReLU(fc_offset·y)
public enum ExactSampler {
  public static func sample(_ model: GRUNet, options o: SampleOptions) throws -> [TokenSequence] {
    let V = model.config.vocabSize
    guard o.count >= 1 else { throw NNError.invalidInput("count must be at least 1") }
    guard o.length >= 0 else { throw NNError.invalidInput("length must be >= 0") }
    guard o.topP >= 0 && o.topP <= 1 else { throw NNError.invalidInput("top_p must be in [0, 1]") }
    guard o.temperature > 0 && o.temperature.isFinite else { throw NNError.invalidInput("temperature must be > 0") }
    if let c = o.constantOffset, !(c.isFinite && c >= 0) {
      throw NNError.invalidInput("constant offset must be a finite number >= 0")
    }
    if let p = o.prime { try Trainer.validate([p], vocabSize: V) }
    let N = o.length
    let scratch = Nucleus.Scratch(V: V)
    var out: [TokenSequence] = []
    for b in 0..<o.count {
      var s = o.seed ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
      var rng = SeededRNG(seed: splitMix64(&s))
      var ids: [Int] = [], offs: [Float] = []
      if N == 0 { out.append(TokenSequence(ids: [], offsets: [])); continue }
      let step = FloatStep(model)
      if let p = o.prime, p.count > 0 {
        for i in 0..<p.count { step.run(token: p.ids[i], offset: p.offsets[i]) }
      } else {
        let t = 1 + rng.int(below: V - 1)
        let off = o.constantOffset ?? 0
        ids.append(t); offs.append(off)
        if N > 1 { step.run(token: t, offset: off) }
      }
      while ids.count < N {
        let t = step.logits.withUnsafeBufferPointer {
          Nucleus.draw($0.baseAddress!, V: V, temperature: o.temperature, topP: o.topP, rng: &rng, scratch: scratch)
        }
        let off = o.constantOffset ?? step.offset
        ids.append(t); offs.append(off)
        if ids.count < N { step.run(token: t, offset: off) }
      }
      out.append(TokenSequence(ids: ids, offsets: offs))
    }
    return out
  }
}

/// One float32 step of the network for one melody, with its hidden states.
final class FloatStep {
  let m: GRUNet
  let H: Int, V: Int
  var h: [[Float]]
  var logits: [Float]
  var offset: Float = 0

  init(_ m: GRUNet) {
    self.m = m
    H = m.config.hidden; V = m.config.vocabSize
    h = Array(repeating: [Float](repeating: 0, count: H), count: m.config.layers)
    logits = [Float](repeating: 0, count: V)
  }

  private func dot(_ row: UnsafePointer<Float>, _ x: [Float]) -> Float {
    x.withUnsafeBufferPointer { GEMV.dot1(k: H, row: row, x: $0.baseAddress!) }
  }

  private static func layerNorm(_ x: inout [Float], _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>) {
    let n = Float(x.count)
    var mean: Float = 0
    for v in x { mean += v }
    mean /= n
    var variance: Float = 0
    for v in x { variance += (v - mean) * (v - mean) }
    variance /= n
    let inv = 1 / (variance + 1e-5).squareRoot()
    for i in x.indices { x[i] = (x[i] - mean) * inv * w[i] + b[i] }
  }

  @inline(__always) private static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

  func run(token: Int, offset off: Float) {
    let lay = m.layout, P = m.params
    var x = [Float](repeating: 0, count: H)
    for i in 0..<H { x[i] = P[lay.emb + token * H + i] + (P[lay.offW + i] * off + P[lay.offB + i]) }
    Self.layerNorm(&x, P + lay.normW, P + lay.normB)
    for (l, g) in lay.gru.enumerated() {
      var next = [Float](repeating: 0, count: H)
      let hp = h[l]
      for j in 0..<H {
        let ir = dot(P + g.wih + j * H, x) + P[g.bih + j]
        let iz = dot(P + g.wih + (H + j) * H, x) + P[g.bih + H + j]
        let inn = dot(P + g.wih + (2 * H + j) * H, x) + P[g.bih + 2 * H + j]
        let hr = dot(P + g.whh + j * H, hp) + P[g.bhh + j]
        let hz = dot(P + g.whh + (H + j) * H, hp) + P[g.bhh + H + j]
        let hn = dot(P + g.whh + (2 * H + j) * H, hp) + P[g.bhh + 2 * H + j]
        let r = Self.sigmoid(ir + hr), z = Self.sigmoid(iz + hz)
        let n = tanhf(inn + r * hn)
        next[j] = (1 - z) * n + z * hp[j]
      }
      h[l] = next
      x = next
    }
    for i in 0..<H { x[i] = max(x[i], 0) }
    Self.layerNorm(&x, P + lay.extW, P + lay.extB)
    for v in 0..<V { logits[v] = dot(P + lay.cls + v * H, x) }
    offset = max(dot(P + lay.offHead, x), 0)
  }
}
