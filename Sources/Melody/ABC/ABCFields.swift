/// A problem in an ABC file, at a 1-based line and column (columns count bytes).
public struct ABCError: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  /// `LINE:COL: message`.
  public var description: String { "\(line):\(column): \(message)" }
}

/// The header fields that change how notes sound: key (`K:`), unit length (`L:`), meter (`M:`)
/// and tempo (`Q:`). Each parser takes the field's value (after `X:`) and throws a message; the
/// reader adds the location.
enum ABCFields {
  /// Semitones of the naturals C D E F G A B.
  static let natural = [0, 2, 4, 5, 7, 9, 11]

  /// Letter index 0...6 (C D E F G A B) of an ASCII note letter, either case.
  static func letterIndex(_ c: UInt8) -> Int? {
    switch c | 0x20 {
    case UInt8(ascii: "c"): return 0
    case UInt8(ascii: "d"): return 1
    case UInt8(ascii: "e"): return 2
    case UInt8(ascii: "f"): return 3
    case UInt8(ascii: "g"): return 4
    case UInt8(ascii: "a"): return 5
    case UInt8(ascii: "b"): return 6
    default: return nil
    }
  }

  /// The key signature as a semitone shift per letter (C D E F G A B). Accepts `G`, `Bb`, `F#m`,
  /// `Ador`, `D mix`, `Amin`, `none`, `HP`/`Hp` (bagpipe: none / F# C#), an empty value (C), and
  /// explicit accidentals after the key (`D ^g _b =c`); words such as `clef=treble` are ignored.
  static func key(_ value: String) throws -> [Int] {
    var shifts = [Int](repeating: 0, count: 7)
    let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard let first = words.first else { return shifts }
    if first == "none" || first == "HP" { return shifts }
    if first == "Hp" { shifts[3] = 1; shifts[0] = 1; return shifts }
    var rest = words.dropFirst()
    let bytes = Array(first.utf8)
    guard let tonicLetter = bytes.first, let t = letterIndex(tonicLetter), tonicLetter < UInt8(ascii: "a") else {
      if first.contains("=") { return shifts }  // `K:clef=bass` and the like: no key change
      throw FieldError("unknown key '\(first)'")
    }
    var i = 1
    var acc = 0
    if i < bytes.count && bytes[i] == UInt8(ascii: "#") { acc = 1; i += 1 }
    else if i < bytes.count && bytes[i] == UInt8(ascii: "b") { acc = -1; i += 1 }
    var modeText = String(decoding: bytes[i...], as: UTF8.self)
    if modeText.isEmpty, let next = rest.first, mode(next) != nil {
      modeText = next
      rest = rest.dropFirst()
    }
    guard let modeShift = modeText.isEmpty ? 0 : mode(modeText) else { throw FieldError("unknown mode '\(modeText)'") }
    // Position on the circle of fifths (C = 0): F -1, C 0, G 1, D 2, A 3, E 4, B 5.
    let fifthsOfLetter = [0, 2, 4, -1, 1, 3, 5]
    let fifths = fifthsOfLetter[t] + 7 * acc + modeShift
    guard fifths >= -7 && fifths <= 7 else { throw FieldError("key '\(value)' needs double sharps or flats") }
    let sharpOrder = [3, 0, 4, 1, 5, 2, 6]  // F C G D A E B
    if fifths > 0 { for k in 0..<fifths { shifts[sharpOrder[k]] = 1 } }
    if fifths < 0 { for k in 0..<(-fifths) { shifts[sharpOrder[6 - k]] = -1 } }
    for w in rest {
      let b = Array(w.utf8)
      guard let (shift, used) = accidental(b, 0), used > 0 else { continue }
      guard used < b.count, let l = letterIndex(b[used]) else { continue }
      shifts[l] = shift
    }
    return shifts
  }

  /// Fifths relative to the major key of the same tonic, from a mode name (first three letters,
  /// any case; `m` alone is minor).
  static func mode(_ s: String) -> Int? {
    let m = s.lowercased()
    if m == "m" { return -3 }
    switch String(m.prefix(3)) {
    case "maj", "ion": return 0
    case "min", "aeo": return -3
    case "mix": return -1
    case "dor": return -2
    case "phr": return -4
    case "lyd": return 1
    case "loc": return -5
    case "exp": return 0
    default: return nil
    }
  }

  /// An accidental at `b[i]`: `^` +1, `^^` +2, `_` -1, `__` -2, `=` 0. Returns (shift, bytes used),
  /// or nil when `b[i]` is none of them.
  static func accidental(_ b: [UInt8], _ i: Int) -> (Int, Int)? {
    guard i < b.count else { return nil }
    let c = b[i]
    if c == UInt8(ascii: "=") { return (0, 1) }
    let sign: Int
    if c == UInt8(ascii: "^") { sign = 1 } else if c == UInt8(ascii: "_") { sign = -1 } else { return nil }
    if i + 1 < b.count && b[i + 1] == c { return (2 * sign, 2) }
    return (sign, 1)
  }

  /// A fraction `a/b` (or a lone integer `a`), both at most 10,000, as a Double > 0.
  static func fraction(_ s: Substring) throws -> Double {
    let parts = s.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let a = Int(parts[0].trimmingSpaces()), a > 0, a <= 10_000 else {
      throw FieldError("expected a fraction like 1/8, found '\(s)'")
    }
    var b = 1
    if parts.count == 2 {
      guard let d = Int(parts[1].trimmingSpaces()), d > 0, d <= 10_000 else {
        throw FieldError("expected a fraction like 1/8, found '\(s)'")
      }
      b = d
    }
    return Double(a) / Double(b)
  }

  /// A meter as a fraction of a whole note (nil: free meter). `C` is 4/4, `C|` 2/2, `none` free;
  /// `2+3/8` adds the numerators.
  static func meter(_ value: String) throws -> Double? {
    let v = value.trimmingSpaces()
    if v.isEmpty || v == "none" { return nil }
    if v == "C" { return 1 }
    if v == "C|" { return 1 }
    let parts = v.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2 else { throw FieldError("expected a meter like 6/8, C or C|, found '\(v)'") }
    var top = 0
    for term in parts[0].split(separator: "+", omittingEmptySubsequences: false) {
      guard let n = Int(term.trimmingSpaces()), n > 0, n <= 1000 else {
        throw FieldError("expected a meter like 6/8, C or C|, found '\(v)'")
      }
      top += n
    }
    guard let bottom = Int(parts[1].trimmingSpaces()), bottom > 0, bottom <= 1000 else {
      throw FieldError("expected a meter like 6/8, C or C|, found '\(v)'")
    }
    return Double(top) / Double(bottom)
  }

  /// The numerator of a meter (`6` of `6/8`; 4 for `C`, 2 for `C|`), to pick tuplet defaults.
  static func meterTop(_ value: String) -> Int {
    let v = value.trimmingSpaces()
    if v == "C" { return 4 }
    if v == "C|" { return 2 }
    return Int(v.split(separator: "/").first?.trimmingSpaces() ?? "") ?? 4
  }

  /// Quarter notes per minute from a tempo: `1/4=120`, `3/8=40`, `"Allegro" 1/4=120`, or a bare
  /// number (taken as quarter notes per minute). Text in quotes is skipped; a tempo that is only
  /// text (`Q:"Andantino"`, ABC 2.1 section 3.1.8) gives nil: the tune keeps the tempo it had.
  static func tempo(_ value: String) throws -> Double? {
    var text = ""
    var inQuote = false
    for ch in value {
      if ch == "\"" { inQuote.toggle(); continue }
      if !inQuote { text.append(ch) }
    }
    let t = text.trimmingSpaces()
    if t.isEmpty && value.contains("\"") { return nil }
    guard let eq = t.firstIndex(of: "=") else {
      guard let n = Int(t), n > 0, n <= 10_000 else { throw FieldError("expected a tempo like 1/4=120, found '\(value)'") }
      return Double(n)
    }
    guard let n = Int(t[t.index(after: eq)...].trimmingSpaces()), n > 0, n <= 10_000 else {
      throw FieldError("expected a tempo like 1/4=120, found '\(value)'")
    }
    let lhs = t[..<eq].trimmingSpaces()
    if lhs.isEmpty { return Double(n) }
    var beat = 0.0
    for term in lhs.split(separator: " ") {
      if term.first == "C" { beat += 0.25; continue }  // old `C=120`: the beat is a quarter
      beat += try fraction(term)
    }
    return Double(n) * beat * 4
  }
}

/// A field value the reader could not use; the reader adds the location.
struct FieldError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingSpaces() -> Substring {
    let s = self[...]
    guard let a = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return Substring("") }
    let b = s.lastIndex(where: { $0 != " " && $0 != "\t" }) ?? a
    return Substring(s[a...b])
  }
}
