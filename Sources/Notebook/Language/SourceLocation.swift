/// A position in a notebook: 1-based line (of the whole file) and 1-based column (in Unicode scalars).
public struct SourceLocation: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public var description: String { "\(line):\(column)" }
  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }
}

/// A half-open span `start ..< end` of source text. `end` may lie on a later line than `start`.
public struct SourceRange: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var start: SourceLocation
  public var end: SourceLocation
  public init(_ start: SourceLocation, _ end: SourceLocation) {
    self.start = start
    self.end = end
  }
  /// A range covering both `a` and `b`.
  public static func covering(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
    SourceRange(min(a.start, b.start), max(a.end, b.end))
  }
  public var description: String { start.description }
}
