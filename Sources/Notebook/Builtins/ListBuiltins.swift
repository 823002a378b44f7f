/// `len`, `range`, `sum`, `min`, `max`, `sorted`, `zip`, `enumerate`: lists and sequences.
///
/// A sequence is a list, a range, a string (its characters) or an indexable object (a melody's events,
/// a dataset's songs). Integer arithmetic is overflow-checked; every error points at the argument at fault.
enum ListBuiltins {
  /// Most elements a range or object is expanded to (`zip`, `enumerate`, `sorted` of a range).
  static let maxElements = 1_000_000

  static var len: Builtin {
    Builtin(
      "len", usage: "len(x)",
      summary: "the length of a list, string, range, melody or dataset",
      details: ["the same as x.count"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a list, string, range, melody or dataset")
      return .int(try count(a.value, call, a.range))
    }
  }

  static var range: Builtin {
    Builtin(
      "range", usage: "range(n) or range(a, b)",
      summary: "the integers 0..<n (or a..<b), as a range for `for` and indexing",
      details: ["range(n) is 0..<n (n >= 0); range(a, b) is a..<b (a <= b)"]
    ) { call in
      try call.allowPositional(2)
      let first = try call.argument(0, "an integer")
      let n = try Call.integer(first.value, "the bound", first.range)
      guard let second = call.positional.dropFirst().first else {
        guard n >= 0 else { throw Diagnostic("range(n) needs n >= 0, got \(n)", at: first.range) }
        return .range(0, n)
      }
      let b = try Call.integer(second.value, "the upper bound", second.range)
      guard n <= b else { throw Diagnostic("range(a, b) needs a <= b, got \(n) > \(b)", at: second.range) }
      return .range(n, b)
    }
  }

  static var sum: Builtin {
    Builtin(
      "sum", usage: "sum(list | range)",
      summary: "the sum of numbers (an integer when all are integers)",
      details: ["0 for an empty list; integer overflow is an error"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a list of numbers")
      if case .range(let lo, let hi) = a.value { return .int(try rangeSum(lo, hi, a.range)) }
      let items = try elements(a.value, call, a.range)
      var total = 0
      var real: Double? = nil
      for (k, v) in items.enumerated() {
        switch v {
        case .int(let n):
          if let r = real {
            real = r + Double(n)
          } else {
            let (s, o) = total.addingReportingOverflow(n)
            guard !o else { throw Diagnostic("integer overflow in sum() at element \(k)", at: a.range) }
            total = s
          }
        case .float(let x): real = (real ?? Double(total)) + x
        default: throw Diagnostic("sum() needs numbers; element \(k) is \(v.aTypeName)", at: a.range)
        }
      }
      return real.map { .float($0) } ?? .int(total)
    }
  }

  /// lo + (lo+1) + ... + (hi-1), overflow-checked: count * (lo + hi - 1) / 2, halving the even factor.
  static func rangeSum(_ lo: Int, _ hi: Int, _ range: SourceRange) throws -> Int {
    guard hi > lo else { return 0 }
    let overflow = Diagnostic("integer overflow in sum() of \(lo)..<\(hi)", at: range)
    let (n, o1) = hi.subtractingReportingOverflow(lo)
    let (ends, o2) = lo.addingReportingOverflow(hi - 1)
    guard !o1 && !o2 else { throw overflow }
    // n odd => ends = 2*lo + n - 1 is even.
    let (s, o3) = n % 2 == 0 ? (n / 2).multipliedReportingOverflow(by: ends) : n.multipliedReportingOverflow(by: ends / 2)
    guard !o3 else { throw overflow }
    return s
  }

  static var min: Builtin { extreme("min", smallest: true) }
  static var max: Builtin { extreme("max", smallest: false) }

  static func extreme(_ name: String, smallest: Bool) -> Builtin {
    Builtin(
      name, usage: "\(name)(list) or \(name)(a, b, ...)",
      summary: "the \(smallest ? "smallest" : "largest") of numbers or of strings",
      details: ["of one list (or range), or of several arguments; the first of equal ones"]
    ) { call in
      let items: [(value: Value, range: SourceRange)]
      if call.positional.count == 1 {
        let a = call.positional[0]
        if case .range(let lo, let hi) = a.value {
          guard hi > lo else { throw Diagnostic("\(name)() of an empty range", at: a.range) }
          return .int(smallest ? lo : hi - 1)
        }
        items = try elements(a.value, call, a.range).map { ($0, a.range) }
        guard !items.isEmpty else { throw Diagnostic("\(name)() of an empty list", at: a.range) }
      } else {
        guard !call.positional.isEmpty else { throw call.error("\(name)() needs a list or at least two values") }
        items = call.positional
      }
      var best = items[0]
      for item in items.dropFirst() {
        guard let c = compare(item.value, best.value) else {
          throw Diagnostic("\(name)() cannot compare " + incomparable(item.value, best.value), at: item.range)
        }
        if smallest ? c < 0 : c > 0 { best = item }
      }
      return best.value
    }
  }

  static var sorted: Builtin {
    Builtin(
      "sorted", usage: "sorted(list, reverse: false)",
      summary: "a list's numbers or strings in ascending order (stable)",
      details: ["reverse: true for descending order"],
      labels: ["reverse"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a list")
      let reverse = try call.bool("reverse", default: false)
      let items = try elements(a.value, call, a.range)
      // Check comparability up front so the sort itself cannot fail.
      if let first = items.first {
        for (k, v) in items.enumerated() where !comparable(first, v) {
          throw Diagnostic("sorted() cannot compare element \(k) with element 0: " + incomparable(v, first), at: a.range)
        }
      }
      let order = items.indices.sorted { i, j in
        let c = compare(items[i], items[j]) ?? 0
        return c == 0 ? i < j : (reverse ? c > 0 : c < 0)
      }
      return .list(order.map { items[$0] })
    }
  }

  static var zip: Builtin {
    Builtin(
      "zip", usage: "zip(a, b, ...)",
      summary: "a list of [a[i], b[i], ...], as long as the shortest argument"
    ) { call in
      guard call.positional.count >= 2 else { throw call.error("zip() needs at least two lists") }
      let lists = try call.positional.map { try elements($0.value, call, $0.range) }
      let n = lists.map(\.count).min() ?? 0
      return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
    }
  }

  static var enumerate: Builtin {
    Builtin(
      "enumerate", usage: "enumerate(list, start: 0)",
      summary: "a list of [index, element] pairs",
      details: ["start: the first index"],
      labels: ["start"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a list")
      let start = try call.int("start", default: 0)
      let items = try elements(a.value, call, a.range)
      guard start.addingReportingOverflow(items.count).overflow == false else {
        throw Diagnostic("integer overflow in enumerate() indices", at: call.labelled["start"]?.range ?? a.range)
      }
      return .list(items.enumerated().map { .list([.int(start + $0.offset), $0.element]) })
    }
  }

  // MARK: - Sequences and ordering

  /// The number of elements of a sequence value.
  static func count(_ v: Value, _ call: Call, _ range: SourceRange) throws -> Int {
    switch v {
    case .list(let items): return items.count
    case .string(let s): return s.count
    case .range(let lo, let hi):
      let (n, o) = hi.subtractingReportingOverflow(lo)
      guard !o else { throw Diagnostic("the range \(lo)..<\(hi) has more than \(Int.max) elements", at: range) }
      return n
    case .object(let o as any IndexableObject): return o.count
    default:
      throw Diagnostic("\(call.name)() needs a list, string, range, melody or dataset, got \(v.aTypeName)", at: range)
    }
  }

  /// The elements of a sequence value (a range or object of at most `maxElements`).
  static func elements(_ v: Value, _ call: Call, _ range: SourceRange) throws -> [Value] {
    switch v {
    case .list(let items): return items
    case .string(let s): return s.map { .string(String($0)) }
    default:
      let n = try count(v, call, range)
      guard n <= maxElements else {
        throw Diagnostic("\(call.name)() would make a list of \(Format.grouped(n)) elements (at most "
                           + "\(Format.grouped(maxElements)))", at: range)
      }
      switch v {
      case .range(let lo, _): return (0..<n).map { .int(lo + $0) }
      case .object(let o as any IndexableObject):
        return try (0..<n).map { i in
          do { return try o.element(at: i) } catch let d as Diagnostic { throw d } catch {
            throw Diagnostic("\(error)", at: range)
          }
        }
      default: return []
      }
    }
  }

  static func comparable(_ a: Value, _ b: Value) -> Bool { compare(a, b) != nil }

  /// -1, 0, 1 for numbers (integers exactly, mixed as doubles), strings, booleans; nil otherwise.
  static func compare(_ a: Value, _ b: Value) -> Int? {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
    switch (a, b) {
    case (.int(let x), .int(let y)): return sign(x, y)
    case (.int(let x), .float(let y)): return y.isNaN ? nil : sign(Double(x), y)
    case (.float(let x), .int(let y)): return x.isNaN ? nil : sign(x, Double(y))
    case (.float(let x), .float(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
    case (.string(let x), .string(let y)): return sign(x, y)
    case (.bool(let x), .bool(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
    default: return nil
    }
  }

  /// Why two values cannot be ordered: "a string with an integer", "nan".
  static func incomparable(_ a: Value, _ b: Value) -> String {
    for v in [a, b] { if case .float(let x) = v, x.isNaN { return "nan (not a number)" } }
    return "\(a.aTypeName) with \(b.aTypeName)"
  }
}
