/// Built-ins that need no library: `print`, `help`, `seed`.
enum CoreBuiltins {
  static var print: Builtin {
    Builtin(
      "print", usage: "print(value, ..., separator: \" \")",
      summary: "writes values to the output (strings without quotes)",
      details: ["separator: the text between the values (default: one space)"],
      labels: ["separator"]
    ) { call in
      let sep = try call.string("separator", default: " ")
      call.interpreter.emit(call.positional.map(\.value.printed).joined(separator: sep))
      return .nothing
    }
  }

  static var seed: Builtin {
    Builtin(
      "seed", usage: "seed(n)",
      summary: "sets the global seed; default seeds derive from it",
      details: ["n: a non-negative integer. train, sample and random_notes without seed:",
                "draw the next seed of the stream seed(n) starts, so a re-run gives the",
                "same results."]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "an integer seed")
      let n = try Call.integer(a.value, "the seed", a.range)
      guard n >= 0 else { throw Diagnostic("the seed must be >= 0, got \(n)", at: a.range) }
      call.interpreter.session.seeds = SeedStream(base: UInt64(n))
      return .nothing
    }
  }

  static var help: Builtin {
    Builtin(
      "help", usage: "help() or help(name)",
      summary: "lists the built-ins, or documents one: help(sample)",
      details: ["help(\"sample\") works too; help(value) lists a value's members"]
    ) { call in
      try call.allowPositional(1)
      let interp = call.interpreter
      guard let a = call.positional.first else {
        var lines = ["built-ins (help(name) for details):"]
        let width = interp.builtinOrder.map(\.count).max() ?? 0
        for name in interp.builtinOrder {
          guard let b = interp.builtins[name] else { continue }
          lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  " + b.summary)
          // Every label it takes, wrapped under the summary.
          var line = String(repeating: " ", count: width + 4)
          for label in b.labels {
            if line.count + label.count + 2 > 80 && line.contains(":") {
              lines.append(line)
              line = String(repeating: " ", count: width + 4)
            }
            line += (line.hasSuffix(" ") ? "" : " ") + label + ":"
          }
          if line.contains(":") { lines.append(line) }
        }
        lines += interp.helpSummaryLines
        return .string(lines.joined(separator: "\n")).asText
      }
      switch a.value {
      case .function(let name), .string(let name):
        if interp.builtins[name] == nil, let text = interp.helpText(for: name) { return .string(text).asText }
        guard let b = interp.builtins[name] else {
          var message = "no built-in named '\(name)'"
          if let near = DidYouMean.suggest(name, among: interp.builtinOrder) { message += " (did you mean '\(near)'?)" }
          throw Diagnostic(message, at: a.range)
        }
        return .string(b.help).asText
      case .object(let f as UserFunction):
        return .string(f.help).asText
      case .object(let o):
        return .string("\(o.aTypeName); members: " + o.memberNames.joined(separator: ", ")).asText
      case let v:
        return .string("\(v.aTypeName)").asText
      }
    }
  }
}

/// Text shown as is by an expression statement (not quoted like a string value).
final class TextValue: NotebookObject {
  let text: String
  init(_ text: String) { self.text = text }
  var typeName: String { "text" }
  var display: String { text }
  var memberNames: [String] { ["text"] }
  func member(_ name: String) -> Value? { name == "text" ? .string(text) : nil }
}

extension Value {
  /// Wraps a string so that an expression statement shows it unquoted.
  var asText: Value {
    if case .string(let s) = self { return .object(TextValue(s)) }
    return self
  }
}
