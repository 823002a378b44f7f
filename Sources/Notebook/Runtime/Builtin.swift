/// A built-in function of the language, with the documentation `help(name)` shows.
public struct Builtin {
  public let name: String
  /// The call form with labels and defaults, e.g. `sample(model, length: 128, top_p: 0.6, ...)`.
  public let usage: String
  /// One line for `help()`.
  public let summary: String
  /// Parameter descriptions and notes for `help(name)`, one per line.
  public let details: [String]
  /// The argument labels the function accepts (others are errors, with "did you mean").
  public let labels: [String]
  public let body: (Call) throws -> Value

  public init(_ name: String, usage: String, summary: String, details: [String] = [], labels: [String] = [],
              body: @escaping (Call) throws -> Value) {
    self.name = name
    self.usage = usage
    self.summary = summary
    self.details = details
    self.labels = labels
    self.body = body
  }

  /// The text of `help(name)`.
  public var help: String {
    ([usage, "  " + summary] + details.map { "  " + $0 }).joined(separator: "\n")
  }
}

/// One call of a built-in: its evaluated arguments with their source ranges, and the interpreter (for
/// output lines, seeds, paths, progress).
public struct Call {
  public let interpreter: Interpreter
  public let name: String
  public let range: SourceRange
  public let positional: [(value: Value, range: SourceRange)]
  public let labelled: [String: (value: Value, range: SourceRange)]

  /// An error located at the whole call.
  public func error(_ message: String) -> Diagnostic { Diagnostic(message, at: range) }

  /// Positional argument `i` (0-based); `what` names it in the error when it is missing.
  public func argument(_ i: Int, _ what: String) throws -> (value: Value, range: SourceRange) {
    guard i < positional.count else {
      throw error("\(name)() needs \(what) as argument \(i + 1)")
    }
    return positional[i]
  }

  /// Throws when more than `n` positional arguments were given.
  public func allowPositional(_ n: Int) throws {
    if positional.count > n {
      throw Diagnostic("\(name)() takes \(n) positional argument\(n == 1 ? "" : "s"), got \(positional.count)",
                       at: positional[n].range)
    }
  }

  /// Positional argument `i` as an object of type `T`.
  public func object<T: NotebookObject>(_ i: Int, _ type: T.Type, _ what: String) throws -> T {
    let a = try argument(i, what)
    guard case .object(let o) = a.value, let t = o as? T else {
      throw Diagnostic("\(name)() expects \(what) as argument \(i + 1), got \(a.value.aTypeName)", at: a.range)
    }
    return t
  }

  public func has(_ label: String) -> Bool { labelled[label] != nil }

  public func int(_ label: String, default d: Int, in allowed: ClosedRange<Int>? = nil) throws -> Int {
    try optionalInt(label, in: allowed) ?? d
  }

  public func optionalInt(_ label: String, in allowed: ClosedRange<Int>? = nil) throws -> Int? {
    guard let a = labelled[label] else { return nil }
    let n = try Call.integer(a.value, label, a.range)
    if let allowed, !allowed.contains(n) {
      throw Diagnostic("\(label) must be \(Call.describe(allowed)), got \(n)", at: a.range)
    }
    return n
  }

  public func double(_ label: String, default d: Double, check: ((Double) -> String?)? = nil) throws -> Double {
    try optionalDouble(label, check: check) ?? d
  }

  /// A number argument; `check` returns an error message for values out of range ("must be > 0").
  public func optionalDouble(_ label: String, check: ((Double) -> String?)? = nil) throws -> Double? {
    guard let a = labelled[label] else { return nil }
    let x = try Call.number(a.value, label, a.range)
    if let check, let problem = check(x) {
      throw Diagnostic("\(label) \(problem), got \(Value.format(x))", at: a.range)
    }
    return x
  }

  public func string(_ label: String, default d: String) throws -> String {
    try optionalString(label) ?? d
  }

  public func optionalString(_ label: String) throws -> String? {
    guard let a = labelled[label] else { return nil }
    guard case .string(let s) = a.value else {
      throw Diagnostic("\(label) must be a string, got \(a.value.aTypeName)", at: a.range)
    }
    return s
  }

  public func bool(_ label: String, default d: Bool) throws -> Bool {
    guard let a = labelled[label] else { return d }
    guard case .bool(let b) = a.value else {
      throw Diagnostic("\(label) must be true or false, got \(a.value.aTypeName)", at: a.range)
    }
    return b
  }

  /// The `seed:` argument, or the next value of the global seed stream.
  public func seed(_ label: String = "seed") throws -> UInt64 {
    if let n = try optionalInt(label, in: 0...Int.max) { return UInt64(n) }
    return interpreter.session.seeds.next()
  }

  /// Positional argument `i` as a path: (as written, resolved against the notebook's folder).
  public func path(_ i: Int, _ what: String = "a path") throws -> (written: String, resolved: String, range: SourceRange) {
    let a = try argument(i, what)
    guard case .string(let s) = a.value else {
      throw Diagnostic("\(name)() expects \(what) (a string) as argument \(i + 1), got \(a.value.aTypeName)",
                       at: a.range)
    }
    guard !s.isEmpty else { throw Diagnostic("empty path", at: a.range) }
    return (s, interpreter.resolve(s), a.range)
  }

  static func integer(_ v: Value, _ what: String, _ range: SourceRange) throws -> Int {
    switch v {
    case .int(let n): return n
    case .float(let x) where x.rounded() == x && abs(x) < 9e15: return Int(x)
    default: throw Diagnostic("\(what) must be an integer, got \(v.typeName == "number" ? v.display : v.aTypeName)", at: range)
    }
  }

  static func number(_ v: Value, _ what: String, _ range: SourceRange) throws -> Double {
    switch v {
    case .int(let n): return Double(n)
    case .float(let x): return x
    default: throw Diagnostic("\(what) must be a number, got \(v.aTypeName)", at: range)
    }
  }

  static func describe(_ r: ClosedRange<Int>) -> String {
    if r.upperBound == Int.max { return r.lowerBound == 0 ? ">= 0" : ">= \(r.lowerBound)" }
    return "between \(r.lowerBound) and \(r.upperBound)"
  }
}
