/// `save(list, "out/take{i}.mid")`: `save` extended to lists, each item to the path with `{i}` replaced
/// by its index (0, 1, ...). Wraps the single-value `save` (FileBuiltins), whose checks apply per item.
enum SaveListBuiltin {
  static func wrapping(_ base: Builtin) -> Builtin {
    Builtin(
      base.name, usage: "save(value, path) or save([values], \"out/take{i}.mid\")",
      summary: base.summary,
      details: base.details + [
        "A list saves each item, {i} in the path replaced by its index (0, 1, ...);",
        "the path must contain {i}.",
      ],
      labels: base.labels
    ) { call in
      guard call.positional.count == 2 else { return try base.body(call) }
      let v = call.positional[0]
      let p = try call.path(1, "a file path")
      guard case .list(let items) = v.value else {
        if p.written.contains("{i}") {
          throw Diagnostic("{i} in the path numbers the items of a list; got \(v.value.aTypeName)", at: p.range)
        }
        return try base.body(call)
      }
      guard p.written.contains("{i}") else {
        throw Diagnostic("saving a list needs {i} in the path (e.g. \"out/take{i}.mid\"), one file per item",
                         at: p.range)
      }
      guard !items.isEmpty else { throw Diagnostic("save() of an empty list", at: v.range) }
      for (i, item) in items.enumerated() {
        try call.interpreter.checkInterrupt()
        let path = p.written.replacingOccurrences(of: "{i}", with: String(i))
        let one = Call(interpreter: call.interpreter, name: call.name, range: call.range,
                       positional: [(item, v.range), (.string(path), p.range)], labelled: call.labelled)
        do {
          _ = try base.body(one)
        } catch var d as Diagnostic {
          d.message = "item \(i): " + d.message
          throw d
        }
      }
      return .nothing
    }
  }
}
