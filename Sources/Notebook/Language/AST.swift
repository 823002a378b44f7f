/// Expressions of the midigen language, each with the source range it covers.
public struct Expr: Sendable, Equatable {
  public indirect enum Kind: Sendable, Equatable {
    case integer(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case name(String)
    case list([Expr])
    /// `callee(args)`; labelled arguments carry the label's own range.
    case call(callee: Expr, arguments: [Argument])
    /// `base.name`; `nameRange` covers the member name.
    case member(base: Expr, name: String, nameRange: SourceRange)
    case index(base: Expr, index: Expr)
    case unary(op: String, operand: Expr)
    case binary(op: String, lhs: Expr, rhs: Expr, opRange: SourceRange)
    /// `lower..<upper` (closed: false) or `lower...upper` (closed: true).
    case range(lower: Expr, upper: Expr, closed: Bool)
  }
  public var kind: Kind
  public var range: SourceRange
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// One argument of a call: `value` or `label: value`.
public struct Argument: Sendable, Equatable {
  public var label: String?
  public var labelRange: SourceRange?
  public var value: Expr
}

/// A statement: `name = expr` or an expression whose value is shown.
public enum Statement: Sendable, Equatable {
  case assign(name: String, nameRange: SourceRange, value: Expr)
  case expression(Expr)

  public var range: SourceRange {
    switch self {
    case .assign(_, let r, let v): return SourceRange.covering(r, v.range)
    case .expression(let e): return e.range
    }
  }
}

extension Expr {
  /// Every name this expression reads (not call labels or member names), in source order.
  public var names: [String] {
    switch kind {
    case .integer, .float, .string, .bool: return []
    case .name(let n): return [n]
    case .list(let items): return items.flatMap(\.names)
    case .call(let callee, let args): return callee.names + args.flatMap(\.value.names)
    case .member(let base, _, _): return base.names
    case .index(let base, let index): return base.names + index.names
    case .unary(_, let operand): return operand.names
    case .binary(_, let lhs, let rhs, _): return lhs.names + rhs.names
    case .range(let lo, let hi, _): return lo.names + hi.names
    }
  }

  /// Names of the functions this expression calls directly (`f(...)` with a name as callee).
  public var calledNames: [String] {
    switch kind {
    case .integer, .float, .string, .bool, .name: return []
    case .list(let items): return items.flatMap(\.calledNames)
    case .call(let callee, let args):
      var r: [String] = []
      if case .name(let n) = callee.kind { r.append(n) }
      return r + callee.calledNames + args.flatMap(\.value.calledNames)
    case .member(let base, _, _): return base.calledNames
    case .index(let base, let index): return base.calledNames + index.calledNames
    case .unary(_, let operand): return operand.calledNames
    case .binary(_, let lhs, let rhs, _): return lhs.calledNames + rhs.calledNames
    case .range(let lo, let hi, _): return lo.calledNames + hi.calledNames
    }
  }
}
