import Foundation

/// The training objective of the original, fused with its gradient.
///
/// Per row i of N (the computed positions of a batch of `positions` = T·B; the others are padding,
/// whose terms are 0) with input token `inTok`, target token `tgt`, target offset `tgtOff`:
///
///     ce_i  = -(1-ε) log p_tgt - (ε/V) Σ_j log p_j     (only where tgt != 0, PyTorch ignore_index=0)
///     d_i   = (pred_i - tgtOff_i) * m_i,  m_i = (inTok != 0)
///     sl1_i = |d| < 1 ? d²/2 : |d| - 1/2                (SmoothL1, beta 1)
///     loss  = wCls * Σ ce / #(tgt != 0) + wOff * Σ sl1 / positions
///
/// With `grad`, the logits are overwritten by dloss/dlogits and `dpred` receives dloss/dpred.
enum LossLayer {
  /// Sums for one or more batches; `loss(wCls:wOff:)` combines them like the formula above.
  struct Sums: Sendable {
    var ce: Double = 0
    var ceCount = 0
    var correct = 0
    var sl1: Double = 0
    var positions = 0
    var offAbs: Double = 0  // Σ |pred - tgtOff| over tgt != 0 (for MAE)

    func loss(wCls: Float, wOff: Float) -> Double {
      let c = ceCount > 0 ? ce / Double(ceCount) : 0
      let o = positions > 0 ? sl1 / Double(positions) : 0
      return Double(wCls) * c + Double(wOff) * o
    }
    mutating func add(_ o: Sums) {
      ce += o.ce; ceCount += o.ceCount; correct += o.correct
      sl1 += o.sl1; positions += o.positions; offAbs += o.offAbs
    }
  }

  /// `Σ_j exp(l_j - max)` in SIMD8 lanes (tail padded with -inf, i.e. 0), lanes summed at the end;
  /// with `store`, also overwrites `l` with the exponentials. Same arithmetic either way.
  @inline(__always)
  static func expSum(_ l: UnsafeMutablePointer<Float>, V: Int, max mx: Float, store: Bool) -> Float {
    typealias S = SIMD8<Float>
    var acc = S()
    var j = 0
    while j < V {
      let n = min(8, V - j)
      var x = S(repeating: -.infinity)
      for k in 0..<n { x[k] = l[j + k] }
      let e = VectorMath.exp(x - mx)
      acc += e
      if store { for k in 0..<n { l[j + k] = e[k] } }
      j += 8
    }
    return acc.sum()
  }

  /// `rowCE`, `rowSL1`, `rowAbs` (N) and `rowHit` (N) are scratch; results are summed in row order.
  static func compute(
    logits: UnsafeMutablePointer<Float>, pred: UnsafePointer<Float>, dpred: UnsafeMutablePointer<Float>?,
    inTok: UnsafePointer<Int32>, tgt: UnsafePointer<Int32>, tgtOff: UnsafePointer<Float>,
    N: Int, positions: Int? = nil, V: Int, smoothing: Float, wCls: Float, wOff: Float,
    rowCE: UnsafeMutablePointer<Double>, rowSL1: UnsafeMutablePointer<Double>,
    rowAbs: UnsafeMutablePointer<Double>, rowHit: UnsafeMutablePointer<UInt8>
  ) -> Sums {
    var count = 0
    for i in 0..<N where tgt[i] != 0 { count += 1 }
    let grad = dpred != nil
    let ceScale = count > 0 ? wCls / Float(count) : 0
    let positions = positions ?? N
    let offScale = wOff / Float(max(positions, 1))
    let eps = smoothing, uni = smoothing / Float(V)
    Chunks.rows(N, size: 64) { r in
      for i in r {
        let l = logits + i * V
        let y = Int(tgt[i])
        // offsets
        let m: Float = inTok[i] != 0 ? 1 : 0
        let d = (pred[i] - tgtOff[i]) * m
        let ad = abs(d)
        rowSL1[i] = Double(ad < 1 ? 0.5 * d * d : ad - 0.5)
        rowAbs[i] = y != 0 ? Double(abs(pred[i] - tgtOff[i])) : 0
        if let dp = dpred { dp[i] = offScale * m * min(1, max(-1, d)) }
        // classes
        if y == 0 {
          rowCE[i] = 0; rowHit[i] = 0
          if grad { l.update(repeating: 0, count: V) }
          continue
        }
        var mx = l[0], arg = 0
        for j in 1..<V where l[j] > mx { mx = l[j]; arg = j }
        let sumL = VectorMath.sum(l, count: V)
        let ly = l[y]
        let s = expSum(l, V: V, max: mx, store: grad)  // with grad: l <- exp(l - max)
        let lse = mx + logf(s)
        let logpY = ly - lse
        let meanLogp = sumL / Float(V) - lse
        rowCE[i] = Double(-(1 - eps) * logpY - eps * meanLogp)
        rowHit[i] = arg == y ? 1 : 0
        if grad {
          let a = ceScale / s, b = ceScale * uni
          for j in 0..<V { l[j] = l[j] * a - b }
          l[y] -= ceScale * (1 - eps)
        }
      }
    }
    var sums = Sums()
    sums.ceCount = count
    sums.positions = positions
    for i in 0..<N {
      sums.ce += rowCE[i]; sums.sl1 += rowSL1[i]; sums.offAbs += rowAbs[i]; sums.correct += Int(rowHit[i])
    }
    return sums
  }
}
