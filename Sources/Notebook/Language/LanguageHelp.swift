/// The language's own help: the summary `help()` ends with, and `help("for")` etc. for each construct.
enum LanguageHelp {
  static let summary = [
    "language (help(\"for\"), help(\"fn\"), help(\"if\"), help(\"while\"), help(\"operators\"), help(\"lists\")):",
    "  name = expr, x += 1, xs[i] = v, f(x, label: value), x.member, x[i], x[-1], x[a..<b], x[2...]",
    "  for x in xs { }, while c { }, if c { } else if c { } else { }, break, continue, ';' between statements",
    "  fn name(a, b, top_p: 0.6) { return a + b }, \"t = \\(t)\", + - * / %, == != < <= > >=, and or not, in",
  ]

  static let topics: [String: [String]] = [
    "for": [
      "for x in LIST_OR_RANGE { ... }",
      "  runs the block once per element of a list, range (0..<n, 1...n), string, melody or dataset",
      "  break leaves the loop, continue goes to the next element; Ctrl-C stops it at the next element.",
      "  The loop variable stays set after the loop. Values of expression statements inside are shown.",
    ],
    "while": [
      "while condition { ... }",
      "  runs the block while the condition (true or false) holds; break and continue as in for.",
    ],
    "if": [
      "if condition { ... } else if condition { ... } else { ... }",
      "  conditions must be true or false (no truthiness: write xs.count > 0).",
    ],
    "fn": [
      "fn name(a, b, top_p: 0.6) { ... return x }",
      "  defines a function, called like a built-in: f(1, 2) or f(1, 2, top_p: 0.9).",
      "  Parameters without a default are positional; those with a default are given by label.",
      "  Names assigned inside are local to the call; other names read the session's variables.",
      "  A function without `return` (or with a bare `return`) gives nothing.",
      "  The `//` comment lines just above `fn` are what help(name) shows.",
      "  Recursion is allowed up to \(Interpreter.maxCallDepth) nested calls.",
    ],
    "operators": [
      "operators, tightest first (as in Swift):",
      "  -x, not x        negation (numbers), logical not (true/false)",
      "  * / %            / always gives a number; % is floored (-1 % 12 is 11)",
      "  + -              numbers; + also joins strings, lists and melodies",
      "  ..< ...          ranges: 0..<n (n excluded), 1...n (n included)",
      "  == != < <= > >=  comparisons (no chaining); in: element of a list or range, substring",
      "  and, or          on true/false, short-circuit (the right side runs only when needed)",
      "  Integer overflow is an error, never a wrap.",
    ],
    "lists": [
      "lists: [1, 2, 3]",
      "  xs[0], xs[-1] (from the end), xs[1..<3], xs[2...], xs[..<2] (slices, also on melodies and strings)",
      "  xs + ys joins, x in xs tests, xs.count (every collection has .count)",
      "  xs[i] = v, grid[i][j] = v replace elements in place; xs[i] += v (-= *= /= %=) updates one",
      "  xs = xs + [v] appends in place (fast in loops).",
    ],
    "strings": [
      "strings: \"text\", with escapes \\n \\t \\\" \\\\ \\u{1F3B5} and interpolation \"t = \\(t)\"",
      "  + joins, == and < compare, s.count, s[0], s[1..<3], \"ab\" in s",
    ],
  ]

  static func topic(_ name: String) -> String? {
    let key: String
    switch name {
    case "else": key = "if"
    case "break", "continue", "in": key = "for"
    case "return", "function", "functions": key = "fn"
    case "and", "or", "not", "%": key = "operators"
    case "list": key = "lists"
    case "string": key = "strings"
    default: key = name
    }
    return topics[key]?.joined(separator: "\n")
  }
}

extension Interpreter {
  /// `help(name)` for what is not a built-in: a user function or a language topic.
  public func helpText(for name: String) -> String? {
    if let f = userFunction(name) { return f.help }
    return LanguageHelp.topic(name)
  }

  /// The lines `help()` ends with: the user's functions and the language summary.
  public var helpSummaryLines: [String] {
    var lines: [String] = []
    let functions = functionNames.filter { builtins[$0] == nil }
    if !functions.isEmpty {
      lines.append("your functions:")
      for name in functions { if let f = userFunction(name) { lines.append("  " + f.decl.signature) } }
    }
    return lines + LanguageHelp.summary
  }
}
