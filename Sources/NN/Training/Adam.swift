import Foundation

/// Adam with PyTorch `torch.optim.Adam` semantics (L2 weight decay added to the gradient), and global
/// gradient-norm clipping (`torch.nn.utils.clip_grad_norm_`). One loop over the single parameter buffer.
enum Adam {
  struct Hyper: Sendable {
    var lr: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 1e-4
  }

  /// Block size for deterministic reductions (independent of the thread count).
  static let block = 1 << 14

  /// L2 norm of `g[0..<n]`, accumulated in Double per fixed block, blocks summed in order.
  static func norm(_ g: UnsafePointer<Float>, _ n: Int) -> Double {
    let blocks = (n + block - 1) / block
    var partial = [Double](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { pp in
      let out = pp.baseAddress!
      Parallel.forEach(blocks) { b in
        var s: Double = 0
        for i in (b * block)..<min(n, (b + 1) * block) { let x = Double(g[i]); s += x * x }
        out[b] = s
      }
    }
    return partial.reduce(0, +).squareRoot()
  }

  /// Scales `g` by `maxNorm / (norm + 1e-6)` when that is below 1. Returns the norm before clipping.
  @discardableResult
  static func clip(_ g: UnsafeMutablePointer<Float>, _ n: Int, maxNorm: Float) -> Double {
    let total = norm(g, n)
    let coef = Double(maxNorm) / (total + 1e-6)
    if coef < 1 {
      let c = Float(coef)
      Chunks.rows(n, size: block) { r in for i in r { g[i] *= c } }
    }
    return total
  }

  /// One Adam step at (1-based) `step`:
  ///
  ///     g += wd * p;  m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²
  ///     p -= (lr / (1-β1^t)) * m / (sqrt(v) / sqrt(1-β2^t) + eps)
  static func step(p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                   v: UnsafeMutablePointer<Float>, n: Int, step t: Int, _ h: Hyper) {
    let bc1 = 1 - pow(Double(h.beta1), Double(t))
    let bc2 = 1 - pow(Double(h.beta2), Double(t))
    let stepSize = Float(Double(h.lr) / bc1)
    let bc2Sqrt = Float(bc2.squareRoot())
    let b1 = h.beta1, b2 = h.beta2, eps = h.eps, wd = h.weightDecay
    Chunks.rows(n, size: block) { r in
      for i in r {
        var gi = g[i]
        if wd != 0 { gi += wd * p[i] }
        let mi = b1 * m[i] + (1 - b1) * gi
        let vi = b2 * v[i] + (1 - b2) * gi * gi
        m[i] = mi; v[i] = vi
        p[i] -= stepSize * mi / (vi.squareRoot() / bc2Sqrt + eps)
      }
    }
  }
}
