import Foundation

/// Deterministic, locale-independent number formatting for values' printed forms.
enum Format {
  /// `x` with `digits` decimals ("3.14").
  static func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return Value.format(x) }
    return String(format: "%.\(digits)f", x)
  }

  /// Integers without a fraction ("120"), others as `Value.format`.
  static func number(_ x: Double) -> String {
    x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : Value.format(x)
  }

  /// A tempo in bpm: whole when within 0.01 of an integer ("120", "76"), else one decimal ("76.5").
  static func tempo(_ bpm: Double) -> String {
    abs(bpm - bpm.rounded()) < 0.01 ? String(Int(bpm.rounded())) : fixed(bpm, 1)
  }

  /// A Float as its shortest text ("0.2", not 0.20000000298023224).
  static func float(_ x: Float) -> String { x.description }

  /// "1 song", "2 songs".
  static func plural(_ n: Int, _ word: String) -> String { "\(grouped(n)) \(word)\(n == 1 ? "" : "s")" }

  /// Thousands separated by commas ("1,234,567").
  static func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
      out.append(c)
    }
    return (n < 0 ? "-" : "") + out
  }
}
