/// `-p name=value` overrides of the assignments in the cell titled `parameters` (as papermill does).
public struct ParameterOverrides {
  public static let cellTitle = "parameters"

  /// (name, expression text) in command-line order; a later value for the same name wins.
  public var values: [(name: String, text: String)]

  public init(_ values: [(name: String, text: String)] = []) { self.values = values }

  /// Parses `name=value` arguments.
  public static func parse(_ args: [String]) throws -> ParameterOverrides {
    var r: [(String, String)] = []
    for a in args {
      guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
        throw NotebookError.badParameter("-p expects name=value, got '\(a)'")
      }
      r.append((String(a[..<eq]).trimmingCharacters(), String(a[a.index(after: eq)...])))
    }
    return ParameterOverrides(r.map { (name: $0.0, text: $0.1) })
  }

  public var isEmpty: Bool { values.isEmpty }

  /// The value expression for `text`: a literal (number, string, true/false, list of literals, negative
  /// number) when it parses as one; otherwise the text itself as a string (`-p data=data/bach`).
  static func expression(_ text: String, at range: SourceRange) -> Expr {
    // Text that is not a literal is a string by design (no error to report), so parse errors fall through.
    do {
      let statements = try Parser.parse(text)
      if statements.count == 1, case .expression(let e) = statements[0], isLiteral(e) {
        return relocate(e, to: range)
      }
    } catch {}
    return Expr(.string(text), range)
  }

  static func isLiteral(_ e: Expr) -> Bool {
    switch e.kind {
    case .integer, .float, .string, .bool: return true
    case .unary(_, let operand): return isLiteral(operand)
    case .list(let items): return items.allSatisfy(isLiteral)
    default: return false
    }
  }

  /// The same expression with every range set to `range` (errors point at the parameter's assignment).
  static func relocate(_ e: Expr, to range: SourceRange) -> Expr {
    switch e.kind {
    case .unary(let op, let operand): return Expr(.unary(op: op, operand: relocate(operand, to: range)), range)
    case .list(let items): return Expr(.list(items.map { relocate($0, to: range) }), range)
    default: return Expr(e.kind, range)
    }
  }

  /// Checks that every overridden name is assigned in the parameters cell (`statements`; nil when the
  /// notebook has no such cell).
  public func validate(against statements: [Statement]?) throws {
    guard !values.isEmpty else { return }
    guard let statements else {
      throw NotebookError.badParameter(
        "-p needs a code cell titled '\(ParameterOverrides.cellTitle)' (%% code: parameters) whose assignments it overrides")
    }
    let known = statements.compactMap { s -> String? in
      if case .assign(let n, _, _) = s { return n }
      return nil
    }
    for (name, _) in values where !known.contains(name) {
      var message = "unknown parameter '\(name)'"
      if let near = DidYouMean.suggest(name, among: known) { message += " (did you mean '\(near)'?)" }
      message += "; the parameters cell assigns: " + (known.isEmpty ? "nothing" : known.joined(separator: ", "))
      throw NotebookError.badParameter(message)
    }
  }

  /// The statements with overridden assignments replaced.
  public func apply(to statements: [Statement]) -> [Statement] {
    statements.map { s in
      guard case .assign(let name, let range, let value) = s,
            let text = values.last(where: { $0.name == name })?.text else { return s }
      return .assign(name: name, nameRange: range, value: ParameterOverrides.expression(text, at: value.range))
    }
  }
}

extension String {
  func trimmingCharacters() -> String {
    String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
