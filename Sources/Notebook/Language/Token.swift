/// A lexical token of the midigen language.
public struct Token: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case identifier(String)
    case integer(Int)
    case float(Double)
    case string(String)
    case punct(String)  // ( ) [ ] , : . = + - * / ..< ...
    case newline
    case end
  }
  public var kind: Kind
  public var range: SourceRange

  /// How the token reads in messages: `'('`, `name 'x'`, `end of line`.
  public var display: String {
    switch kind {
    case .identifier(let s): return "name '\(s)'"
    case .integer(let n): return "number \(n)"
    case .float(let x): return "number \(x)"
    case .string: return "a string"
    case .punct(let p): return "'\(p)'"
    case .newline: return "end of line"
    case .end: return "end of input"
    }
  }
}
