/// The GRU's fused element-wise gate math for one batch row (H units); see `GRULayer`.
///
/// SIMD8 over units with `VectorMath.sigmoid/tanh`; a ragged tail (H not a multiple of 8) goes
/// through the same lane arithmetic in a zero-padded vector, so every unit is computed identically.
enum GateMath {
  typealias V = SIMD8<Float>

  @inline(__always) static func load(_ p: UnsafePointer<Float>, _ j: Int, _ n: Int) -> V {
    if n == 8 { return UnsafeRawPointer(p + j).loadUnaligned(as: V.self) }
    var v = V()
    for l in 0..<n { v[l] = p[j + l] }
    return v
  }

  @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ j: Int, _ n: Int) {
    if n == 8 { UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self); return }
    for l in 0..<n { p[j + l] = v[l] }
  }

  /// In: `g` = gi (3H, no bias), `s` = gh (3H, no bias), biases, `hprev` (H, nil = zeros).
  /// Out: `g` = (r, z, n), `hn` = gh_n + b_hn, `h` = new state.
  @inline(__always)
  static func forward(
    g: UnsafeMutablePointer<Float>, s: UnsafePointer<Float>, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    hprev: UnsafePointer<Float>?, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, H: Int
  ) {
    var j = 0
    while j < H {
      let n = min(8, H - j)
      let jz = H + j, jn = 2 * H + j
      let r = VectorMath.sigmoid(load(g, j, n) + load(bih, j, n) + (load(s, j, n) + load(bhh, j, n)))
      let z = VectorMath.sigmoid(load(g, jz, n) + load(bih, jz, n) + (load(s, jz, n) + load(bhh, jz, n)))
      let hnv = load(s, jn, n) + load(bhh, jn, n)
      let nn = VectorMath.tanh(load(g, jn, n) + load(bih, jn, n) + r * hnv)
      let hp = hprev.map { load($0, j, n) } ?? V()
      store(r, g, j, n)
      store(z, g, jz, n)
      store(nn, g, jn, n)
      store(hnv, hn, j, n)
      store((1 - z) * nn + z * hp, h, j, n)
      j += 8
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
    var j = 0
    while j < H {
      let n = min(8, H - j)
      let jz = H + j, jn = 2 * H + j
      let r = load(g, j, n), z = load(g, jz, n), nn = load(g, jn, n)
      let d = load(dh, j, n)
      let hp = hprev.map { load($0, j, n) } ?? V()
      let dn = d * (1 - z)
      let dz = d * (hp - nn)
      let dnp = dn * (1 - nn * nn)
      let dhnv = dnp * r
      let drp = dnp * load(hn, j, n) * r * (1 - r)
      let dzp = dz * z * (1 - z)
      store(drp, dgi, j, n); store(dzp, dgi, jz, n); store(dnp, dgi, jn, n)
      store(drp, dgh, j, n); store(dzp, dgh, jz, n); store(dhnv, dgh, jn, n)
      store(dhnv, dhn, j, n)
      if let o = dhprevOut { store(load(o, j, n) + d * z, o, j, n) }
      j += 8
    }
  }
}
