/// Locale-independent number formatting for chart labels (always `.` as the decimal point).
enum NumberFormat {
  /// `v` rounded to `decimals` places, e.g. `fixed(2.345, 2)` = "2.35" (half away from zero),
  /// `fixed(-0.001, 2)` = "0.00". Non-finite and huge values fall back to Swift's `description`.
  static func fixed(_ v: Double, _ decimals: Int) -> String {
    let d = min(max(decimals, 0), 9)
    var scale = 1.0
    for _ in 0..<d { scale *= 10 }
    let scaled = (v * scale).rounded(.toNearestOrAwayFromZero)
    guard v.isFinite, abs(scaled) < 9e15 else { return v.description }
    let n = Int64(scaled)
    var digits = String(n.magnitude)
    if d > 0 {
      if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
    }
    return (n < 0 ? "-" : "") + digits
  }

  /// Short form: integers without a decimal point, others with up to 3 decimals, trailing zeros removed.
  /// `short(3)` = "3", `short(0.25)` = "0.25", `short(1/3)` = "0.333".
  static func short(_ v: Double) -> String {
    if v.isFinite && v == v.rounded() && abs(v) < 1e15 { return fixed(v, 0) }
    var s = fixed(v, 3)
    guard s.contains(".") else { return s }
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
  }

  /// Decimals needed to tell apart ticks `step` apart (0 for steps ≥ 1).
  static func decimals(forStep step: Double) -> Int {
    guard step > 0, step.isFinite else { return 0 }
    var d = 0
    var s = step
    while s < 0.999_999 && d < 9 {
      s *= 10
      d += 1
    }
    return d
  }
}

/// "Nice" axis ticks (1, 2 or 5 times a power of ten), as in Heckbert's Graphics Gems algorithm.
struct Ticks: Equatable {
  var lo: Double
  var hi: Double
  var step: Double
  /// Tick values from `lo` through `hi`.
  var values: [Double] {
    let q = ((hi - lo) / step).rounded()
    let n = q.isFinite ? Int(min(max(q, 0), 1000)) : 0
    return (0...n).map { lo + Double($0) * step }
  }
  var decimals: Int { NumberFormat.decimals(forStep: step) }
  func label(_ v: Double) -> String { NumberFormat.fixed(v, decimals) }

  /// Ticks covering [min, max] with about `count` intervals; a flat range is widened around its value.
  init(min: Double, max: Double, count: Int) {
    var a = min.isFinite ? min : 0
    var b = max.isFinite ? max : 0
    if a > b { swap(&a, &b) }
    // Any finite data has ticks: a span that overflows (±1e308) is narrowed to one that does not.
    if !(b - a).isFinite { a = Swift.max(a, -1e307); b = Swift.min(b, 1e307) }
    if b - a < 1e-12 {
      let pad = abs(a) > 1e-12 ? abs(a) * 0.1 : 1
      a -= pad
      b += pad
    }
    let step = Ticks.nice((b - a) / Double(Swift.max(count, 1)))
    self.step = step
    lo = (a / step).rounded(.down) * step
    hi = (b / step).rounded(.up) * step
    // Remove float noise such as 0.30000000000000004.
    lo = (lo / step).rounded() * step
    hi = (hi / step).rounded() * step
  }

  /// The nice number (1, 2, 5 × 10^k) nearest above `x`.
  static func nice(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return 1 }
    var p = 1.0
    while p * 10 <= x { p *= 10 }
    while p > x { p /= 10 }
    let f = x / p
    let m: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
    return m * p
  }
}
