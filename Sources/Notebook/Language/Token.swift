/// A lexical token of the midigen language.
public struct Token: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case identifier(String)
    case integer(Int)
    case float(Double)
    case string(String)
    /// A string with `\(expr)` parts: literal text and the tokens of each embedded expression.
    case interpolation([StringPart])
    /// ( ) [ ] { } , : ; . = + - * / % == != < <= > >= += -= *= /= %= ..< ...
    case punct(String)
    case newline
    case end
  }
  /// A piece of an interpolated string.
  public enum StringPart: Sendable, Equatable {
    case text(String)
    /// The tokens of `\( ... )` (ending with an `.end` token) and the range of the whole `\( ... )`.
    case code([Token], SourceRange)
  }
  public var kind: Kind
  public var range: SourceRange

  /// Words with a meaning in the grammar; they cannot be used as names.
  public static let keywords: Set<String> = [
    "for", "in", "while", "if", "else", "fn", "return", "break", "continue", "and", "or", "not", "true", "false",
  ]

  /// True for the keyword `word`.
  public func isKeyword(_ word: String) -> Bool { kind == .identifier(word) }

  /// How the token reads in messages: `'('`, `name 'x'`, `'for'`, `end of line`.
  public var display: String {
    switch kind {
    case .identifier(let s): return Token.keywords.contains(s) ? "'\(s)'" : "name '\(s)'"
    case .integer(let n): return "number \(n)"
    case .float(let x): return "number \(x)"
    case .string, .interpolation: return "a string"
    case .punct(let p): return "'\(p)'"
    case .newline: return "end of line"
    case .end: return "end of input"
    }
  }
}
