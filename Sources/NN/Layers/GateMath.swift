import Foundation

/// The GRU's fused element-wise gate math for one batch row (H units); see `GRULayer`.
enum GateMath {
  @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

  /// In: `g` = gi (3H, no bias), `s` = gh (3H, no bias), biases, `hprev` (H, nil = zeros).
  /// Out: `g` = (r, z, n), `hn` = gh_n + b_hn, `h` = new state.
  @inline(__always)
  static func forward(
    g: UnsafeMutablePointer<Float>, s: UnsafePointer<Float>, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    hprev: UnsafePointer<Float>?, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, H: Int
  ) {
    for j in 0..<H {
      let r = sigmoid(g[j] + bih[j] + s[j] + bhh[j])
      let z = sigmoid(g[H + j] + bih[H + j] + s[H + j] + bhh[H + j])
      let hnv = s[2 * H + j] + bhh[2 * H + j]
      let n = tanhf(g[2 * H + j] + bih[2 * H + j] + r * hnv)
      let hp: Float = hprev?[j] ?? 0
      g[j] = r
      g[H + j] = z
      g[2 * H + j] = n
      hn[j] = hnv
      h[j] = (1 - z) * n + z * hp
    }
  }

  /// Gradients for one row and step. `dh` = dL/dh_t (complete). Writes `dgi`, `dgh` (3H) and `dhn` (H);
  /// adds `dh * z` to `dhprevOut` (nil at t = 0).
  @inline(__always)
  static func backward(
    dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>, dhn: UnsafeMutablePointer<Float>,
    dhprevOut: UnsafeMutablePointer<Float>?, dh: UnsafePointer<Float>, g: UnsafePointer<Float>,
    hn: UnsafePointer<Float>, hprev: UnsafePointer<Float>?, H: Int
  ) {
    for j in 0..<H {
      let r = g[j], z = g[H + j], n = g[2 * H + j]
      let d = dh[j]
      let hp: Float = hprev?[j] ?? 0
      let dn = d * (1 - z)
      let dz = d * (hp - n)
      let dnp = dn * (1 - n * n)
      let dhnv = dnp * r
      let drp = dnp * hn[j] * r * (1 - r)
      let dzp = dz * z * (1 - z)
      dgi[j] = drp; dgi[H + j] = dzp; dgi[2 * H + j] = dnp
      dgh[j] = drp; dgh[H + j] = dzp; dgh[2 * H + j] = dhnv
      dhn[j] = dhnv
      if let o = dhprevOut { o[j] += d * z }
    }
  }
}
