/// Member access (`x.count`) and indexing (`x[0]`, `x[0..<20]`) for every kind of value.
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
      case "count": return .int(hi - lo)
      case "lower": return .int(lo)
      case "upper": return .int(hi)
      default: break
      }
    case .object(let o):
      names = o.memberNames
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

  static func index(_ base: Value, _ index: Value, _ range: SourceRange) throws -> Value {
    let count: Int
    switch base {
    case .list(let items): count = items.count
    case .range(let lo, let hi): count = hi - lo
    case .object(let o as any IndexableObject): count = o.count
    default: throw Diagnostic("\(base.aTypeName) cannot be indexed", at: range)
    }
    switch index {
    case .range(let lo, let hi):
      guard lo >= 0 && hi <= count else {
        throw Diagnostic("range \(lo)..<\(hi) is out of bounds 0..<\(count)", at: range)
      }
      switch base {
      case .list(let items): return .list(Array(items[lo..<hi]))
      case .range(let a, _): return .range(a + lo, a + hi)
      case .object(let o as any IndexableObject): return try located(range) { try o.slice(lo, hi) }
      default: break
      }
    default:
      let i = try Call.integer(index, "an index", range)
      guard i >= 0 && i < count else {
        throw Diagnostic("index \(i) is out of bounds 0..<\(count)", at: range)
      }
      switch base {
      case .list(let items): return items[i]
      case .range(let a, _): return .int(a + i)
      case .object(let o as any IndexableObject): return try located(range) { try o.element(at: i) }
      default: break
      }
    }
    throw Diagnostic("\(base.aTypeName) cannot be indexed", at: range)
  }
}
