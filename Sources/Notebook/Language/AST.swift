/// Expressions of the midigen language, each with the source range it covers.
///
/// `height` is the depth of the tree under the node (1 for a leaf). The parser refuses trees higher than
/// `Parser.maxDepth`, so everything that walks a tree recursively (resolver, evaluator, deinitializers)
/// recurses a bounded number of times.
public struct Expr: Sendable, Equatable {
  public indirect enum Kind: Sendable, Equatable {
    case integer(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case name(String)
    case list([Expr])
    /// `"text \(expr) text"`.
    case interpolation([InterpolationPart])
    /// `callee(args)`; labelled arguments carry the label's own range.
    case call(callee: Expr, arguments: [Argument])
    /// `base.name`; `nameRange` covers the member name.
    case member(base: Expr, name: String, nameRange: SourceRange)
    case index(base: Expr, index: Expr)
    /// `-x` (op "-") or `not x` (op "not").
    case unary(op: String, operand: Expr)
    /// `+ - * / %`, comparisons `== != < <= > >=`, `in`, and the short-circuit `and` / `or`.
    case binary(op: String, lhs: Expr, rhs: Expr, opRange: SourceRange)
    /// `lower..<upper` (closed: false) or `lower...upper` (closed: true).
    case range(lower: Expr, upper: Expr, closed: Bool)
    /// A range with a missing bound, only as an index: `xs[2...]`, `xs[..<2]`, `xs[...2]`.
    case partialRange(lower: Expr?, upper: Expr?, closed: Bool)
  }
  public var kind: Kind
  public var range: SourceRange
  public let height: Int

  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
    self.height = 1 + Expr.childHeight(kind)
  }

  static func childHeight(_ kind: Kind) -> Int {
    switch kind {
    case .integer, .float, .string, .bool, .name: return 0
    case .list(let items): return items.reduce(0) { max($0, $1.height) }
    case .interpolation(let parts):
      return parts.reduce(0) { m, p in if case .expr(let e) = p { return max(m, e.height) } else { return m } }
    case .call(let callee, let args): return args.reduce(callee.height) { max($0, $1.value.height) }
    case .member(let base, _, _): return base.height
    case .index(let base, let index): return max(base.height, index.height)
    case .unary(_, let operand): return operand.height
    case .binary(_, let lhs, let rhs, _): return max(lhs.height, rhs.height)
    case .range(let lo, let hi, _): return max(lo.height, hi.height)
    case .partialRange(let lo, let hi, _): return max(lo?.height ?? 0, hi?.height ?? 0)
    }
  }

  /// The direct subexpressions, in source order.
  public var children: [Expr] {
    switch kind {
    case .integer, .float, .string, .bool, .name: return []
    case .list(let items): return items
    case .interpolation(let parts): return parts.compactMap { if case .expr(let e) = $0 { return e } else { return nil } }
    case .call(let callee, let args): return [callee] + args.map(\.value)
    case .member(let base, _, _): return [base]
    case .index(let base, let index): return [base, index]
    case .unary(_, let operand): return [operand]
    case .binary(_, let lhs, let rhs, _): return [lhs, rhs]
    case .range(let lo, let hi, _): return [lo, hi]
    case .partialRange(let lo, let hi, _): return [lo, hi].compactMap { $0 }
    }
  }
}

/// A piece of an interpolated string.
public enum InterpolationPart: Sendable, Equatable {
  case text(String)
  case expr(Expr)
}

/// One argument of a call: `value` or `label: value`.
public struct Argument: Sendable, Equatable {
  public var label: String?
  public var labelRange: SourceRange?
  public var value: Expr
}

/// `{ statements }`, with the ranges of its braces (an unterminated block is reported at `open`).
public struct Block: Sendable, Equatable {
  public var statements: [Statement]
  public var open: SourceRange
  public var close: SourceRange
}

/// `if c { } else if c { } else { }`: the conditions with their blocks, then the final `else` block.
public struct IfStatement: Sendable, Equatable {
  public struct Branch: Sendable, Equatable {
    public var condition: Expr
    public var body: Block
  }
  public var branches: [Branch]
  public var elseBody: Block?
  public var range: SourceRange
}

/// `for name in sequence { body }`.
public struct ForStatement: Sendable, Equatable {
  public var name: String
  public var nameRange: SourceRange
  public var sequence: Expr
  public var body: Block
  public var range: SourceRange
}

/// `while condition { body }`.
public struct WhileStatement: Sendable, Equatable {
  public var condition: Expr
  public var body: Block
  public var range: SourceRange
}

/// A parameter of a function: positional (`a`) or labelled with a default (`top_p: 0.6`).
public struct Parameter: Sendable, Equatable {
  public var name: String
  public var range: SourceRange
  public var defaultValue: Expr?
  /// The default as written (for the signature).
  public var defaultText: String?
}

/// `fn name(a, b, top_p: 0.6) { ... }` with the `//` comment lines just above it.
public struct FunctionDecl: Sendable, Equatable {
  public var name: String
  public var nameRange: SourceRange
  public var parameters: [Parameter]
  public var body: Block
  public var doc: [String]
  /// The statement's source text, from `fn` to its closing `}` (to save a session).
  public var source: String
  public var range: SourceRange

  /// `fn name(a, b, top_p: 0.6)`.
  public var signature: String {
    let params = parameters.map { p in p.defaultText.map { "\(p.name): \($0)" } ?? p.name }
    return "fn \(name)(" + params.joined(separator: ", ") + ")"
  }
}

/// The operator of `name[i] op= expr` (`+`, `-`, `*`, `/`, `%`) and where it is.
public struct IndexUpdate: Sendable, Equatable {
  public var op: String
  public var range: SourceRange
}

/// A statement.
public enum Statement: Sendable, Equatable {
  /// `name = expr` (also `name += expr`, parsed as `name = name + expr`).
  case assign(name: String, nameRange: SourceRange, value: Expr)
  /// An expression whose value is shown.
  case expression(Expr)
  /// `name[i] = expr`, `name[i][j] = expr`, ...: the indices outermost first (`[i, j]`). With an update
  /// (`name[i] += expr`), `value` is the right side of the operator, and the indices are evaluated once.
  case setIndex(name: String, nameRange: SourceRange, indices: [Expr], update: IndexUpdate?, value: Expr)
  case ifElse(IfStatement)
  case forIn(ForStatement)
  case whileLoop(WhileStatement)
  /// `break` (true) or `continue` (false).
  case jump(isBreak: Bool, range: SourceRange)
  case returnValue(Expr?, range: SourceRange)
  case function(FunctionDecl)

  public var range: SourceRange {
    switch self {
    case .assign(_, let r, let v): return SourceRange.covering(r, v.range)
    case .expression(let e): return e.range
    case .setIndex(_, let r, _, _, let v): return SourceRange.covering(r, v.range)
    case .ifElse(let s): return s.range
    case .forIn(let s): return s.range
    case .whileLoop(let s): return s.range
    case .jump(_, let r): return r
    case .returnValue(_, let r): return r
    case .function(let f): return f.range
    }
  }

  /// The expressions directly in this statement (not in nested blocks), in source order.
  public var expressions: [Expr] {
    switch self {
    case .assign(_, _, let v), .expression(let v): return [v]
    case .setIndex(_, _, let i, _, let v): return i + [v]
    case .ifElse(let s): return s.branches.map(\.condition)
    case .forIn(let s): return [s.sequence]
    case .whileLoop(let s): return [s.condition]
    case .jump: return []
    case .returnValue(let e, _): return e.map { [$0] } ?? []
    case .function(let f): return f.parameters.compactMap(\.defaultValue)
    }
  }

  /// The blocks directly inside this statement (a function's body included).
  public var blocks: [Block] {
    switch self {
    case .ifElse(let s): return s.branches.map(\.body) + (s.elseBody.map { [$0] } ?? [])
    case .forIn(let s): return [s.body]
    case .whileLoop(let s): return [s.body]
    case .function(let f): return [f.body]
    default: return []
    }
  }
}

extension Expr {
  /// Every name this expression reads (not call labels or member names), in source order.
  public var names: [String] {
    if case .name(let n) = kind { return [n] }
    return children.flatMap(\.names)
  }

  /// Names of the functions this expression calls directly (`f(...)` with a name as callee).
  public var calledNames: [String] {
    var r: [String] = []
    if case .call(let callee, _) = kind, case .name(let n) = callee.kind { r.append(n) }
    return r + children.flatMap(\.calledNames)
  }
}
