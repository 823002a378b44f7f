/// Lists made by a program nest at most `Value.maxNesting` levels: printing a value and freeing it recurse
/// once per level, so a loop such as `x = [x]` run 10^5 times must stop with an error rather than build a
/// value whose display or release would overflow the stack.
extension Value {
  public static let maxNesting = 500

  /// Levels of lists in this value (0 for a non-list), counted up to `maxNesting + 1`. Recursion is bounded
  /// because every list made by a program passed this check.
  public var listNesting: Int {
    guard case .list(let items) = self else { return 0 }
    var deepest = 0
    for x in items {
      guard case .list = x else { continue }
      deepest = max(deepest, x.listNesting)
      if deepest >= Value.maxNesting { break }
    }
    return deepest + 1
  }

  /// Throws when the value nests lists more than `maxNesting` levels deep.
  func checkNesting(_ range: SourceRange) throws {
    if listNesting > Value.maxNesting {
      throw Diagnostic("lists nested too deeply (more than \(Value.maxNesting) levels)", at: range)
    }
  }
}
