import Foundation

/// One REPL input that ran without error: its text, statements and output (what `:keep` slices).
struct ReplInput {
  var source: String
  var statements: [Statement]
  var output: String
}

/// The REPL's notebook commands: `:run` and `:edit` write outputs back into the file, `:keep` appends a
/// dependency slice of the inputs, `:open` switches notebooks. Every write goes through `NotebookStore`
/// (merged into the file as it is now, under the notebook's lock).
extension ReplEngine {
  func store() throws -> NotebookStore {
    guard let path = notebookPath else {
      throw NotebookError.io("no notebook is open (`:open NB.mgnb`, or start with `midigen repl NB.mgnb`)")
    }
    return try NotebookStore(path: path)
  }

  var builtinNames: Set<String> { Set(interpreter.builtinOrder) }

  /// `:run N|TITLE|all`: runs the cells in this session, shows their outputs and writes them into the file.
  func runAndWrite(_ selector: String, _ doc: NotebookDocument) throws -> String {
    guard !selector.isEmpty else { return "usage: :run N|TITLE|all" }
    let targets = selector == "all" ? doc.codeCellIndices : [try doc.cellIndex(for: selector)]
    let (out, outputs) = runCells(targets, doc)
    guard !outputs.isEmpty else { return out }
    do {
      try store().merge(outputs, base: doc, onWait: onWait, isCancelled: interpreter.environment.isCancelled)
    } catch {
      return out + "\nerror: the outputs were not written: \(error)"
    }
    return out
  }

  /// Runs `targets` of `doc` in order (stopping at an error or an interrupt); returns the text to show and
  /// the outputs to write.
  func runCells(_ targets: [Int], _ doc: NotebookDocument) -> (String, [NotebookStore.Output]) {
    let lines = diagnosticLines(doc.render())
    let parsed = Staleness.parse(doc)
    var shown: [String] = []
    var outputs: [NotebookStore.Output] = []
    var current = doc
    for i in targets {
      let cell = doc.cells[i]
      let n = doc.codeNumber(ofCell: i) ?? 0
      shown.append("── cell \(n)" + (cell.title.map { " (\($0))" } ?? ""))
      let inputs = Staleness.inputs(i, in: current, parsed: parsed, builtins: builtinNames)
      let r = interpreter.run(cell.source, firstLine: cell.sourceLine)
      var text = r.output
      if let d = r.error { text += (text.isEmpty ? "" : "\n") + d.render(file: doc.file, lines: lines) }
      if !text.isEmpty { shown.append(text) }
      current.setOutput(text, ofCell: i, failed: r.error != nil, inputs: inputs)
      outputs.append(NotebookStore.Output(cell: i, text: text, failed: r.error != nil, inputs: inputs))
      if r.error != nil { break }
    }
    return (shown.joined(separator: "\n"), outputs)
  }

  /// `:keep [NAME ...] [as TITLE]`: appends one code cell holding the inputs needed to rebuild the last
  /// value (or the named variables): the last input (or the inputs assigning the names) and, going back,
  /// every input that last assigned a name they read. Its output is theirs, in order.
  func keepSlice(_ argument: String) -> String {
    var words = argument.split(separator: " ").map(String.init)
    var title: String? = nil
    if let k = words.firstIndex(of: "as") {
      title = words[(k + 1)...].joined(separator: " ")
      words = Array(words[..<k])
      if title?.isEmpty != false { return "usage: :keep [NAME ...] [as TITLE]" }
    }
    guard !kept.isEmpty else { return "error: nothing to keep yet (:keep keeps inputs that ran without error)" }
    for name in words where interpreter.session.variables[name] == nil {
      var message = "error: no variable '\(name)'"
      if let near = DidYouMean.suggest(name, among: Array(interpreter.session.variables.keys)) {
        message += " (did you mean '\(near)'?)"
      }
      return message
    }
    let chosen = ReplEngine.slice(kept.map(\.statements), names: words, builtins: builtinNames)
    let source = chosen.map { kept[$0].source }.joined(separator: "\n")
    let output = chosen.map { kept[$0].output }.filter { !$0.isEmpty }.joined(separator: "\n")
    do {
      let names = builtinNames
      let doc = try store().modify(onWait: onWait, isCancelled: interpreter.environment.isCancelled) { doc in
        doc.appendCode(source, output: output, title: title)
        let i = doc.cells.count - 1
        let inputs = Staleness.inputs(i, in: doc, parsed: Staleness.parse(doc), builtins: names)
        if !inputs.isEmpty { doc.setOutput(output, ofCell: i, failed: false, inputs: inputs) }
      }
      return "kept \(chosen.count == 1 ? "1 input" : "\(chosen.count) inputs") as cell \(doc.codeCellIndices.count)"
        + " of \(notebookPath ?? "")"
    } catch {
      return "error: \(error)"
    }
  }

  /// Indices of the inputs to keep: those assigning `names` (the last input when `names` is empty), plus,
  /// going back, every input that last assigned a name a kept one reads before assigning it.
  static func slice(_ inputs: [[Statement]], names: [String], builtins: Set<String>) -> [Int] {
    guard !inputs.isEmpty else { return [] }
    var needed: Set<String>
    var chosen: [Int] = []
    var k = inputs.count - 1
    if names.isEmpty {
      chosen = [k]
      needed = Dependencies.used(inputs[k], builtins: builtins)
      k -= 1
    } else {
      needed = Set(names)
    }
    while k >= 0 {
      let a = Dependencies.assigned(inputs[k])
      if !a.isDisjoint(with: needed) {
        chosen.append(k)
        needed.subtract(a)
        needed.formUnion(Dependencies.used(inputs[k], builtins: builtins))
      }
      k -= 1
    }
    return chosen.reversed()
  }

  /// `:edit N|TITLE`: the editor gets the cell's source; the saved text replaces it in the file (if the cell
  /// is still as it was) and runs, and its output is written too.
  func edit(_ selector: String, _ doc: NotebookDocument) throws -> String {
    guard !selector.isEmpty else { return "usage: :edit N|TITLE" }
    guard let editor else { return "error: :edit needs a terminal" }
    let i = try doc.cellIndex(for: selector)
    let old = doc.cells[i].trimmedSource
    guard let new = try editor(old + "\n") else { return "edit abandoned; the cell is unchanged" }
    if OutputBlock.trimTrailing(new) == old { return "unchanged" }
    var edited = doc
    edited.setSource(new, ofCell: i)
    let written = try store().modify(onWait: onWait, isCancelled: interpreter.environment.isCancelled) { current in
      guard let j = NotebookStore.align(doc, current)[i] else {
        throw NotebookError.io("cell \(selector) changed on disk meanwhile; the edit was not written:\n\(new)")
      }
      current.setSource(new, ofCell: j)
    }
    guard let j = NotebookStore.align(edited, written)[i] else { return "written; run it with :run \(selector)" }
    return try runAndWrite(String(written.codeNumber(ofCell: j) ?? 0), written)
  }

  /// `:open NB.mgnb`: makes it the open notebook (paths then resolve against its folder); its saved
  /// session's variables join this session.
  func open(_ path: String) -> String {
    guard !path.isEmpty else { return "usage: :open NB.mgnb" }
    var note = ""
    if FileManager.default.fileExists(atPath: path) {
      do {
        let doc = try NotebookStore(path: path).read().document
        note = ": \(doc.codeCellIndices.count) code cell\(doc.codeCellIndices.count == 1 ? "" : "s")"
        if let saved = try SessionStore(restorers: library.restorers).load(notebook: path) {
          for (name, value) in saved.variables { interpreter.session.variables[name] = value }
          interpreter.session.seeds = saved.seeds
          note += "; restored \(saved.variables.count) variable\(saved.variables.count == 1 ? "" : "s")"
        }
      } catch {
        return "error: \(error)"
      }
    } else {
      note = " (a new file: :keep creates it)"
    }
    notebookPath = path
    interpreter.environment.baseDirectory = (path as NSString).deletingLastPathComponent
    return "opened \(path)\(note)"
  }
}
