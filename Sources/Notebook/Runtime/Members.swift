/// Member access (`x.count`) and indexing (`x[0]`, `x[-1]`, `x[0..<20]`, `x[2...]`) for every kind of value.
/// A negative index counts from the end; every bound is checked (a range wider than Int.max is an error,
/// not a trap).
enum Members {
  static func member(of v: Value, _ name: String, _ range: SourceRange) throws -> Value {
    var names: [String] = []
    switch v {
    case .list(let items):
      names = ["count", "first", "last"]
      switch name {
      case "count": return .int(items.count)
      case "first", "last":
        guard let x = name == "first" ? items.first : items.last else {
          throw Diagnostic("the list is empty", at: range)
        }
        return x
      default: break
      }
    case .string(let s):
      names = ["count"]
      if name == "count" { return .int(s.count) }
    case .range(let lo, let hi):
      names = ["count", "lower", "upper"]
      switch name {
      case "count": return .int(try count(lo, hi, range))
      case "lower": return .int(lo)
      case "upper": return .int(hi)
      default: break
      }
    case .object(let o):
      names = o.memberNames
      if name == "count", let c = o as? any IndexableObject, !names.contains("count") { return .int(c.count) }
      do {
        if let m = try o.member(name) { return m }
      } catch let d as Diagnostic {
        throw d
      } catch {
        throw Diagnostic("\(error)", at: range)
      }
    default:
      break
    }
    var message = "\(v.aTypeName) has no member '\(name)'"
    if let near = DidYouMean.suggest(name, among: names) {
      message += " (did you mean '\(near)'?)"
    } else if !names.isEmpty {
      message += "; members: " + names.joined(separator: ", ")
    }
    throw Diagnostic(message, at: range)
  }

  /// Runs `body`, turning a non-diagnostic error into one at `range`.
  static func located(_ range: SourceRange, _ body: () throws -> Value) throws -> Value {
    do { return try body() } catch let d as Diagnostic { throw d } catch { throw Diagnostic("\(error)", at: range) }
  }

  /// The number of integers in `lo..<hi`, or an error when it exceeds Int.max.
  static func count(_ lo: Int, _ hi: Int, _ range: SourceRange) throws -> Int {
    let (n, overflow) = hi.subtractingReportingOverflow(lo)
    guard !overflow else { throw Diagnostic("the range \(lo)..<\(hi) has more than \(Int.max) elements", at: range) }
    return n
  }

  static func count(of base: Value, _ range: SourceRange) throws -> Int {
    switch base {
    case .list(let items): return items.count
    case .range(let lo, let hi): return try count(lo, hi, range)
    case .object(let o as any IndexableObject): return o.count
    default: throw Diagnostic("\(base.aTypeName) cannot be indexed", at: range)
    }
  }

  static func index(_ base: Value, _ index: Value, _ range: SourceRange) throws -> Value {
    if case .range(let lo, let hi) = index {
      return try slice(base, lower: lo, upper: hi, closed: false, range)
    }
    if case .string(let s) = base {
      let i = try Call.integer(index, "an index", range)
      let n = s.count
      let k = i < 0 ? n + i : i
      guard k >= 0 && k < n else {
        throw Diagnostic("index \(i) is out of bounds for a string of \(Format.plural(n, "character"))", at: range)
      }
      return .string(String(s[s.index(s.startIndex, offsetBy: k)]))
    }
    let count = try count(of: base, range)
    let i = try Call.integer(index, "an index", range)
    let k = i < 0 ? count + i : i  // no overflow: count >= 0 and i < 0
    guard k >= 0 && k < count else {
      throw Diagnostic("index \(i) is out of bounds 0..<\(count)" + (count > 0 ? " (or -\(count)..<0 from the end)" : ""),
                       at: range)
    }
    switch base {
    case .list(let items): return items[k]
    case .range(let a, _): return .int(a + k)
    case .object(let o as any IndexableObject): return try located(range) { try o.element(at: k) }
    default: throw Diagnostic("\(base.aTypeName) cannot be indexed", at: range)
    }
  }

  /// `base[lower..<upper]` (`closed`: `...upper`); a missing bound is the start or the end, a negative one
  /// counts from the end.
  static func slice(_ base: Value, lower: Int?, upper: Int?, closed: Bool, _ range: SourceRange) throws -> Value {
    var chars: [Character] = []
    let count: Int
    if case .string(let s) = base {
      chars = Array(s)
      count = chars.count
    } else {
      count = try Members.count(of: base, range)
    }
    var lo = lower ?? 0
    var hi = upper ?? count
    if lo < 0 { lo += count }
    if upper != nil && hi < 0 { hi += count }
    if closed && upper != nil {
      guard hi < Int.max else { throw Diagnostic("slice bound \(hi) is too large", at: range) }
      hi += 1
    }
    guard 0 <= lo && lo <= hi && hi <= count else {
      let shown = (lower.map(String.init) ?? "") + (closed ? "..." : "..<") + (upper.map(String.init) ?? "")
      throw Diagnostic("range \(shown) is out of bounds 0..<\(count)", at: range)
    }
    switch base {
    case .list(let items): return .list(Array(items[lo..<hi]))
    case .string: return .string(String(chars[lo..<hi]))
    case .range(let a, _): return .range(a + lo, a + hi)
    case .object(let o as any IndexableObject): return try located(range) { try o.slice(lo, hi) }
    default: throw Diagnostic("\(base.aTypeName) cannot be indexed", at: range)
    }
  }
}
