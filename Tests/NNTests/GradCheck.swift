import Testing
@testable import NN

/// Central-difference gradient checking for Float layers.
///
/// `loss(inputs)` is evaluated in Float by the layer and reduced in Double; each coordinate of each
/// input array is perturbed by ±eps. A coordinate passes when
/// `|analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)`.
enum GradCheck {
  static func check(
    _ label: String, inputs: [[Float]], analytic: [[Float]], eps: Float = 1e-2,
    atol: Double = 2e-3, rtol: Double = 2e-2, sourceLocation: SourceLocation = #_sourceLocation,
    loss: ([[Float]]) -> Double
  ) {
    var x = inputs
    var worst = 0.0
    var failures = 0
    for k in 0..<x.count {
      for i in 0..<x[k].count {
        let old = x[k][i]
        x[k][i] = old + eps
        let lp = loss(x)
        x[k][i] = old - eps
        let lm = loss(x)
        x[k][i] = old
        let num = (lp - lm) / (2 * Double(eps))
        let a = Double(analytic[k][i])
        let err = abs(a - num) - rtol * max(abs(a), abs(num))
        worst = max(worst, err)
        if err > atol {
          failures += 1
          if failures <= 5 {
            Issue.record("\(label): input \(k)[\(i)] analytic \(a) numeric \(num)", sourceLocation: sourceLocation)
          }
        }
      }
    }
  }

  /// Deterministic pseudo-random values in [-scale, scale).
  static func random(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var r = SeededRNG(seed: seed)
    return (0..<n).map { _ in r.uniform(-scale, scale) }
  }

  /// `Σ w_i x_i` in Double.
  static func dot(_ w: [Float], _ x: UnsafePointer<Float>) -> Double {
    var s = 0.0
    for i in 0..<w.count { s += Double(w[i]) * Double(x[i]) }
    return s
  }
}
