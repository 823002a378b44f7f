import Foundation
@testable import NN

/// A straightforward Double-precision GRUNet forward + loss, written independently of the fast
/// path (batch-major loops, no GEMM), used as the oracle for the whole-network tests.
struct ReferenceGRUNet {
  let config: GRUConfig
  let layout: ParameterLayout
  var p: [Double]

  init(_ m: GRUNet) {
    config = m.config
    layout = m.layout
    p = (0..<m.parameterCount).map { Double(m.params[$0]) }
  }

  struct Batch {
    var tok: [[Int]], off: [[Double]], tgt: [[Int]], tgtOff: [[Double]]
    var B: Int { tok.count }
    var T: Int { tok[0].count }
  }

  static func layerNorm(_ x: [Double], _ w: ArraySlice<Double>, _ b: ArraySlice<Double>) -> [Double] {
    let H = Double(x.count)
    let m = x.reduce(0, +) / H
    let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / H
    let rs = 1 / (v + 1e-5).squareRoot()
    return x.indices.map { (x[$0] - m) * rs * w[w.startIndex + $0] + b[b.startIndex + $0] }
  }

  func slice(_ off: Int, _ n: Int) -> ArraySlice<Double> { p[off..<(off + n)] }

  /// Logits [B][T][V], offsets [B][T] and the loss. `dropMask(l, i)` gives the multiplier for the
  /// input of layer l at time-major flat index i, l = 0 being the first layer's input (train's
  /// dropout_in) and l = L the heads' input (nil: no dropout). `whhMask(l, i)` multiplies element i
  /// of layer l's `W_hh` (train's weight_drop; nil: none).
  func run(_ batch: Batch, smoothing: Double, wCls: Double, wOff: Double,
           dropMask: ((Int, Int) -> Double)?, whhMask: ((Int, Int) -> Double)? = nil)
    -> (loss: Double, logits: [[[Double]]], pred: [[Double]]) {
    let H = config.hidden, V = config.vocabSize, L = config.layers, B = batch.B, T = batch.T
    var logitsAll = [[[Double]]](repeating: [], count: B)
    var predAll = [[Double]](repeating: [], count: B)
    var ce = 0.0, count = 0, sl1 = 0.0
    for b in 0..<B {
      var hs = [[Double]](repeating: [Double](repeating: 0, count: H), count: L)
      for t in 0..<T {
        let tok = batch.tok[b][t], o = batch.off[b][t]
        var x = (0..<H).map { p[layout.emb + tok * H + $0] + o * p[layout.offW + $0] + p[layout.offB + $0] }
        x = Self.layerNorm(x, slice(layout.normW, H), slice(layout.normB, H))
        for l in 0..<L {
          if let mask = dropMask {
            x = (0..<H).map { x[$0] * mask(l, (t * B + b) * H + $0) }
          }
          let g = layout.gru[l]
          func lin(_ w: Int, _ bias: Int, _ v: [Double], _ row: Int) -> Double {
            var s = p[bias + row]
            for k in 0..<H {
              let m = w == g.whh ? whhMask?(l, row * H + k) ?? 1 : 1
              s += p[w + row * H + k] * m * v[k]
            }
            return s
          }
          let hp = hs[l]
          var hnew = [Double](repeating: 0, count: H)
          for j in 0..<H {
            let r = 1 / (1 + exp(-(lin(g.wih, g.bih, x, j) + lin(g.whh, g.bhh, hp, j))))
            let z = 1 / (1 + exp(-(lin(g.wih, g.bih, x, H + j) + lin(g.whh, g.bhh, hp, H + j))))
            let n = tanh(lin(g.wih, g.bih, x, 2 * H + j) + r * lin(g.whh, g.bhh, hp, 2 * H + j))
            hnew[j] = (1 - z) * n + z * hp[j]
          }
          hs[l] = hnew
          x = hnew
        }
        var y = Self.layerNorm(x.map { max(0, $0) }, slice(layout.extW, H), slice(layout.extB, H))
        if let mask = dropMask {  // "layer" L: the heads' input (train's dropout_out)
          y = (0..<H).map { y[$0] * mask(L, (t * B + b) * H + $0) }
        }
        let logits = (0..<V).map { v in (0..<H).reduce(0.0) { $0 + p[layout.cls + v * H + $1] * y[$1] } }
        let pre = (0..<H).reduce(0.0) { $0 + p[layout.offHead + $1] * y[$1] }
        let pred = max(0, pre)
        logitsAll[b].append(logits)
        predAll[b].append(pred)
        let target = batch.tgt[b][t]
        if target != 0 {
          let mx = logits.max()!
          let lse = mx + log(logits.reduce(0) { $0 + exp($1 - mx) })
          let meanLogp = logits.reduce(0, +) / Double(V) - lse
          ce += -(1 - smoothing) * (logits[target] - lse) - smoothing * meanLogp
          count += 1
        }
        let m: Double = tok != 0 ? 1 : 0
        let d = (pred - batch.tgtOff[b][t]) * m
        sl1 += abs(d) < 1 ? 0.5 * d * d : abs(d) - 0.5
      }
    }
    let loss = wCls * (count > 0 ? ce / Double(count) : 0) + wOff * sl1 / Double(B * T)
    return (loss, logitsAll, predAll)
  }
}
