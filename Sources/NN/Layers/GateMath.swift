/// The GRU's fused element-wise gate math for one batch row; see `GRULayer`.
///
/// SIMD8 over units with `VectorMath.sigmoid/tanh`. Whole vectors are read and written in place; a
/// ragged tail (fewer than 8 units) is copied into zero-padded 8-lane buffers, run through the same
/// lane arithmetic and copied back, so every unit is computed identically wherever it sits.
enum GateMath {
  typealias V = SIMD8<Float>

  @inline(__always) static func ld(_ p: UnsafePointer<Float>) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
  }

  @inline(__always) static func st(_ v: V, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
  }

  /// In: `g` = gi (3H, no bias), `s` = gh (3H, no bias), biases, `hprev` (H, nil = zeros).
  /// Out: `g` = (r, z, n), `hn` = gh_n + b_hn, `h` = new state.
  @inline(__always)
  static func forward(
    g: UnsafeMutablePointer<Float>, s: UnsafePointer<Float>, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    hprev: UnsafePointer<Float>?, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, H: Int
  ) {
    let plain = Layout(gate: H, panel: 16)
    forward(gi: g, giLayout: plain, g: g, gStride: H, s: s, sLayout: plain, bih: bih, bhh: bhh, hprev: hprev,
            hn: hn, h: h, count: H)
  }

  /// Where unit `j`, gate `k` (r, z, n) of a pre-activation row sits: units come in panels of 16
  /// that lie `panel` apart, gates lie `gate` apart: `(j/16)·panel + k·gate + j%16`.
  /// `Layout(gate: H, panel: 16)` is the plain [3H] row; `Layout(gate: 16, panel: 48)` the
  /// gate-interleaved rows of a GRU step split by unit blocks (see `GRURecurrence`).
  struct Layout {
    let gate: Int, panel: Int
    @inline(__always) func offset(_ j: Int) -> Int { (j >> 4) * panel + (j & 15) }
  }

  /// The same for `count` units, reading the input pre-activations from `gi` and the recurrent ones
  /// from `s` (each in its layout, pointers at the first unit), and writing (r, z, n) to `g`, whose
  /// gates lie `gStride` apart as in `bih`, `bhh`. `gi` may be `g` (in place, `gStride` apart).
  @inline(never)
  static func forward(
    gi: UnsafePointer<Float>, giLayout: Layout, g: UnsafeMutablePointer<Float>, gStride: Int,
    s: UnsafePointer<Float>, sLayout: Layout, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    hprev: UnsafePointer<Float>?, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, count: Int
  ) {
    let full = count & ~7
    if full > 0 {
      forwardFull(gi: gi, giLayout: giLayout, g: g, gStride: gStride, s: s, sLayout: sLayout, bih: bih, bhh: bhh,
                  hprev: hprev, hn: hn, h: h, count: full)
    }
    let n = count - full
    if n == 0 { return }
    // Tail: 8-lane copies (gate k at 8k), zero-padded, through the same arithmetic.
    let j = full, ij = giLayout.offset(j), sj = sLayout.offset(j)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 24 * 4 + 8 * 3) { t in
      let tg = t.baseAddress!, ts = tg + 24, tbi = ts + 24, tbh = tbi + 24, thp = tbh + 24, thn = thp + 8
      let th = thn + 8
      t.initialize(repeating: 0)
      for k in 0..<3 {
        for l in 0..<n {
          tg[8 * k + l] = gi[k * giLayout.gate + ij + l]; ts[8 * k + l] = s[k * sLayout.gate + sj + l]
          tbi[8 * k + l] = bih[k * gStride + j + l]; tbh[8 * k + l] = bhh[k * gStride + j + l]
        }
      }
      if let hp = hprev { for l in 0..<n { thp[l] = hp[j + l] } }
      let lanes = Layout(gate: 8, panel: 48)
      forwardFull(gi: tg, giLayout: lanes, g: tg, gStride: 8, s: ts, sLayout: lanes, bih: tbi, bhh: tbh,
                  hprev: thp, hn: thn, h: th, count: 8)
      for k in 0..<3 { for l in 0..<n { g[k * gStride + j + l] = tg[8 * k + l] } }
      for l in 0..<n { hn[j + l] = thn[l]; h[j + l] = th[l] }
    }
  }

  /// `forward` on whole vectors (`count` a multiple of 8), in passes over the row so that each
  /// loop inlines one transcendental (a call would split the 8-lane vectors into halves):
  /// pre-activations of r and z (into `g`) and `hn`; sigmoid of r and z; the pre-activation of n;
  /// tanh; the new state.
  @inline(__always)
  static func forwardFull(
    gi: UnsafePointer<Float>, giLayout: Layout, g: UnsafeMutablePointer<Float>, gStride: Int,
    s: UnsafePointer<Float>, sLayout: Layout, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
    hprev: UnsafePointer<Float>?, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, count: Int
  ) {
    let gz = gStride, gn = 2 * gStride, iG = giLayout.gate, sG = sLayout.gate
    var j = 0
    while j < count {
      let ir = gi + giLayout.offset(j), sr = s + sLayout.offset(j)
      st(ld(ir) + ld(bih + j) + (ld(sr) + ld(bhh + j)), g + j)
      st(ld(ir + iG) + ld(bih + gz + j) + (ld(sr + sG) + ld(bhh + gz + j)), g + gz + j)
      st(ld(sr + 2 * sG) + ld(bhh + gn + j), hn + j)
      j += 8
    }
    sigmoidInPlace(g, count)
    sigmoidInPlace(g + gz, count)
    j = 0
    while j < count {
      let ir = gi + giLayout.offset(j)
      st(ld(ir + 2 * iG) + ld(bih + gn + j) + ld(g + j) * ld(hn + j), g + gn + j)
      j += 8
    }
    tanhInPlace(g + gn, count)
    j = 0
    while j < count {
      let z = ld(g + gz + j), nn = ld(g + gn + j)
      let hp = hprev.map { ld($0 + j) } ?? V()
      st((1 - z) * nn + z * hp, h + j)
      j += 8
    }
  }

  /// `p[i] = sigmoid(p[i])` for `i < count` (a multiple of 8).
  @inline(never)
  static func sigmoidInPlace(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
    var j = 0
    while j < count { st(VectorMath.sigmoid(ld(p + j)), p + j); j += 8 }
  }

  /// `p[i] = tanh(p[i])` for `i < count` (a multiple of 8).
  @inline(never)
  static func tanhInPlace(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
    var j = 0
    while j < count { st(VectorMath.tanh(ld(p + j)), p + j); j += 8 }
  }

  /// Gradients for one row and step. `dh` = dL/dh_t (complete). Writes `dgi`, `dgh` (3H) and `dhn` (H);
  /// adds `dh * z` to `dhprevOut` (nil at t = 0). With `count < H`, only units `0 ..< count` from
  /// the given pointers (r, z, n entries `H` apart), for a step split by unit blocks.
  @inline(never)
  static func backward(
    dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>, dhn: UnsafeMutablePointer<Float>,
    dhprevOut: UnsafeMutablePointer<Float>?, dh: UnsafePointer<Float>, g: UnsafePointer<Float>,
    hn: UnsafePointer<Float>, hprev: UnsafePointer<Float>?, H: Int, count: Int? = nil
  ) {
    let count = count ?? H
    let full = count & ~7
    var j = 0
    while j < full {
      backward8(dgi: dgi + j, dgh: dgh + j, dhn: dhn + j, dhprevOut: dhprevOut.map { $0 + j }, dh: dh + j,
                g: g + j, hn: hn + j, hprev: hprev.map { $0 + j }, stride: H)
      j += 8
    }
    let n = count - full
    if n == 0 { return }
    // Tail: 8-lane copies (gate k at 8k), zero-padded.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 24 * 3 + 8 * 5) { t in
      let tdgi = t.baseAddress!, tdgh = tdgi + 24, tg = tdgh + 24, tdhn = tg + 24, tdp = tdhn + 8
      let tdh = tdp + 8, thn = tdh + 8, thp = thn + 8
      t.initialize(repeating: 0)
      for k in 0..<3 { for l in 0..<n { tg[8 * k + l] = g[k * H + j + l] } }
      for l in 0..<n { tdh[l] = dh[j + l]; thn[l] = hn[j + l] }
      if let hp = hprev { for l in 0..<n { thp[l] = hp[j + l] } }
      if let o = dhprevOut { for l in 0..<n { tdp[l] = o[j + l] } }
      backward8(dgi: tdgi, dgh: tdgh, dhn: tdhn, dhprevOut: dhprevOut == nil ? nil : tdp, dh: tdh, g: tg, hn: thn,
                hprev: hprev == nil ? nil : thp, stride: 8)
      for k in 0..<3 {
        for l in 0..<n { dgi[k * H + j + l] = tdgi[8 * k + l]; dgh[k * H + j + l] = tdgh[8 * k + l] }
      }
      for l in 0..<n { dhn[j + l] = tdhn[l] }
      if let o = dhprevOut { for l in 0..<n { o[j + l] = tdp[l] } }
    }
  }

  @inline(__always)
  static func backward8(
    dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>, dhn: UnsafeMutablePointer<Float>,
    dhprevOut: UnsafeMutablePointer<Float>?, dh: UnsafePointer<Float>, g: UnsafePointer<Float>,
    hn: UnsafePointer<Float>, hprev: UnsafePointer<Float>?, stride: Int
  ) {
    let jz = stride, jn = 2 * stride
    let r = ld(g), z = ld(g + jz), nn = ld(g + jn)
    let d = ld(dh)
    let hp = hprev.map { ld($0) } ?? V()
    let dn = d * (1 - z)
    let dz = d * (hp - nn)
    let dnp = dn * (1 - nn * nn)
    let dhnv = dnp * r
    let drp = dnp * ld(hn) * r * (1 - r)
    let dzp = dz * z * (1 - z)
    st(drp, dgi); st(dzp, dgi + jz); st(dnp, dgi + jn)
    st(drp, dgh); st(dzp, dgh + jz); st(dhnv, dgh + jn)
    st(dhnv, dhn)
    if let o = dhprevOut { st(ld(o) + d * z, o) }
  }
}
