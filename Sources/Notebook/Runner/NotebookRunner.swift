import Foundation

/// What `midigen run` does with a notebook.
public struct RunOptions {
  /// Run only this code cell (number or title) against the saved session.
  public var cell: String? = nil
  /// Run only the cells that are not up to date (stale, never run, failed, overridden), against the saved
  /// session (without one, the cells they need run first).
  public var stale = false
  public var parameters = ParameterOverrides()
  /// Run the remaining cells after a failure.
  public var keepGoing = false
  /// Record durations in output headers.
  public var timing = false
  /// Write the notebook (after each cell) and the session; false for `--check`.
  public var write = true
  /// Fail at once when another process holds the notebook's lock, instead of waiting.
  public var noWait = false
  /// `--check`: the folder that files written by `save()` go to instead of their paths (mirrored by
  /// absolute path). Nil: they go where the notebook says.
  public var scratchFolder: String? = nil
  public init() {}
}

/// The outcome of one cell, reported as it finishes.
public struct CellReport {
  /// Index into the document's cells, and the 1-based code cell number.
  public var index: Int
  public var number: Int
  public var title: String?
  /// The rendered diagnostic (`file:line:col: error: …`, source line, caret) when the cell failed.
  public var error: String?
  public var seconds: Double
  /// The cell's output text (the error included), as written into the notebook.
  public var output: String = ""
  /// True when the cell was stopped by an interrupt (Ctrl-C, SIGTERM, SIGHUP).
  public var interrupted = false
  public var failed: Bool { error != nil }
  /// "3 (train)" or "3".
  public var name: String { title.map { "\(number) (\($0))" } ?? "\(number)" }
}

/// The outcome of a run: the text before, the document after, and each cell's report.
public struct RunResult {
  public var original: String
  /// The document as this run sees it: the file it read with this run's outputs (the file on disk also
  /// keeps edits made meanwhile).
  public var document: NotebookDocument
  public var reports: [CellReport]
  /// Why the session could not be saved (the notebook itself was written); nil when it was.
  public var sessionError: String? = nil
  /// Why the last write of the notebook failed (it no longer parsed, ...); nil when it succeeded.
  public var writeError: String? = nil
  /// True when an interrupt stopped the run (the file and the session hold what was reached).
  public var interrupted = false
  /// The code cells that were due but did not run (after a failure or an interrupt).
  public var notRun: [Int] = []
  /// `--check`: the files `save()` wrote (real path, scratch copy), to compare byte for byte.
  public var artifacts: [(path: String, scratch: String)] = []
  public var failed: Bool { reports.contains(where: \.failed) }
  public var rendered: String { document.render() }
}

/// Runs a notebook file: all cells top to bottom, one cell, or the stale ones against the saved session.
/// Every write goes through `NotebookStore` (lock for the whole run, outputs merged into the file as it
/// is now, atomic replace); the session is saved at the end, also after an interrupt.
public final class NotebookRunner {
  public let path: String
  public var environment: ExecutionEnvironment
  let builtins: [Builtin]
  let store: SessionStore
  /// Called after each cell (the CLI prints a line per cell).
  public var onCell: (CellReport) -> Void = { _ in }
  /// Called once when the run waits for another process's lock on the notebook.
  public var onWait: (String) -> Void = { _ in }

  public init(path: String, environment: ExecutionEnvironment, library: StandardLibrary = StandardLibrary()) {
    self.path = path
    self.environment = environment
    self.builtins = library.builtins
    self.store = SessionStore(restorers: library.restorers)
  }

  /// The session entry listing the parameters that hold `-p` values.
  static let overriddenKey = "#overridden"

  var fileName: String { (path as NSString).lastPathComponent }
  var builtinNames: Set<String> { Set(builtins.map(\.name)) }

  /// Runs the notebook. Throws a `NotebookError` for what stops a run before any cell: unreadable file,
  /// format error (`.format`, the rendered diagnostic), unknown cell, bad parameters, unreadable session,
  /// a lock held elsewhere with `noWait` (`.busy`).
  public func run(_ options: RunOptions) throws -> RunResult {
    let file = try NotebookStore(path: path)
    if options.write {
      try file.lock(wait: !options.noWait, onWait: onWait, isCancelled: environment.isCancelled)
    }
    defer { file.unlock() }
    let (original, base) = try file.read()
    var env = environment
    var artifacts: [(path: String, scratch: String)] = []
    if let scratch = options.scratchFolder {
      env.redirectWrite = { real in
        let absolute = real.hasPrefix("/") ? real : FileManager.default.currentDirectoryPath + "/" + real
        let copy = scratch + (absolute as NSString).standardizingPath
        artifacts.append((real, copy))
        return copy
      }
    }
    let parsed = Staleness.parse(base)
    let parameterCell = base.codeCellIndices.first { base.cells[$0].title == ParameterOverrides.cellTitle }
    if let c = parameterCell, parsed[c] == nil, !options.parameters.isEmpty {
      let (_, error, _) = execute(c, in: base, Interpreter(environment: env, builtins: []), RunOptions())
      throw NotebookError.badParameter("-p: the parameters cell does not parse:\n" + (error ?? ""))
    }
    try options.parameters.validate(against: parameterCell.flatMap { parsed[$0] })

    // Which cells run, and against which session.
    var targets = base.codeCellIndices
    var interp = Interpreter(session: Session(), environment: env, builtins: builtins)
    if options.cell != nil || options.stale {
      if let selector = options.cell {
        targets = [try base.cellIndex(for: selector)]
      } else {
        let verdicts = Staleness.verdicts(base, builtins: builtinNames)
        targets = base.codeCellIndices.filter { verdicts[$0]?.state != .upToDate }
      }
      let saved = try store.load(notebook: path)
      interp = Interpreter(session: saved ?? Session(), environment: env, builtins: builtins)
      if saved == nil {
        // No session: what the targets need runs first, silently (its outputs are not rewritten).
        var needed = Set<Int>()
        for t in targets { needed.formUnion(Dependencies.of(t, parsed: parsed, builtins: builtinNames)) }
        for dep in needed.subtracting(targets).sorted() {
          let (_, error, _) = execute(dep, in: base, interp, options)
          if let error, let first = targets.first {
            let text = "error: cell \(describe(dep, base)), which this cell depends on, failed:\n" + error
            var doc = base
            doc.setOutput(text, ofCell: first, failed: true)
            if options.write {
              try file.merge([NotebookStore.Output(cell: first, text: text, failed: true)], base: base)
            }
            let r = CellReport(index: first, number: base.codeNumber(ofCell: first) ?? 0,
                               title: base.cells[first].title, error: text, seconds: 0, output: text)
            onCell(r)
            return RunResult(original: original, document: doc, reports: [r], artifacts: artifacts)
          }
        }
      }
      // The parameters cell is not among the targets: the names overridden now take their new values,
      // and names a run with -p left overridden in the session take the source's values back.
      if let p = parameterCell, !targets.contains(p), let statements = parsed[p] {
        let overridden = Set(options.parameters.values.map(\.name))
        let left = Set((interp.session.ranCells[NotebookRunner.overriddenKey] ?? "").split(separator: ",")
          .map(String.init)).subtracting(overridden)
        let assignments = options.parameters.apply(to: statements).filter {
          if case .assign(let name, _, _) = $0 { return overridden.contains(name) || left.contains(name) }
          return false
        }
        if !assignments.isEmpty, case .some(let error) = interp.run(statements: assignments).error {
          throw NotebookError.badParameter("-p: \(error.message)")
        }
      }
    }

    var result = RunResult(original: original, document: base, reports: [])
    var outputs: [NotebookStore.Output] = []
    for (k, i) in targets.enumerated() {
      if env.isCancelled() {
        result.interrupted = true
        result.notRun = Array(targets[k...])
        break
      }
      let report = runCell(i, &result.document, parsed, interp, options)
      let block = result.document.cells[i].outputBlock
      outputs.append(NotebookStore.Output(
        cell: i, text: report.output, failed: report.failed, overridden: block?.overridden ?? false,
        inputs: block?.inputs ?? [], seconds: options.timing ? report.seconds : nil))
      if options.write {
        do {
          try file.merge(outputs, base: base)
          result.writeError = nil
        } catch {
          result.writeError = "\(error)"
        }
      }
      result.reports.append(report)
      onCell(report)
      if report.interrupted || env.isCancelled() {
        result.interrupted = true
        result.notRun = Array(targets[(k + 1)...])
        break
      }
      if report.failed && !options.keepGoing {
        result.notRun = Array(targets[(k + 1)...])
        break
      }
    }
    // Which parameters hold -p values in the saved session (a later run without -p restores them).
    let names = options.parameters.values.map(\.name)
    interp.session.ranCells[NotebookRunner.overriddenKey] = names.isEmpty ? nil : Set(names).sorted().joined(separator: ",")
    result.sessionError = saveSession(interp.session, options)
    result.artifacts = artifacts
    return result
  }

  /// Saves the session when writing; returns the reason it could not be saved (a warning, not a failure:
  /// the notebook is already written).
  func saveSession(_ session: Session, _ options: RunOptions) -> String? {
    guard options.write else { return nil }
    do {
      try store.save(session, notebook: path)
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// Runs code cell `i` and sets its output in `doc` (with the `-p` overrides and the states of the
  /// cells it reads recorded in the header).
  func runCell(_ i: Int, _ doc: inout NotebookDocument, _ parsed: [Int: [Statement]], _ interp: Interpreter,
               _ options: RunOptions) -> CellReport {
    let inputs = Staleness.inputs(i, in: doc, parsed: parsed, builtins: builtinNames)
    let (output, error, seconds) = execute(i, in: doc, interp, options)
    var text = output
    if !options.parameters.isEmpty {
      let note = options.parameters.values.map { "-p \($0.name)=\($0.text)" }.joined(separator: "\n")
      text = note + (text.isEmpty ? "" : "\n" + text)
    }
    if let error { text += (text.isEmpty ? "" : "\n") + error }
    doc.setOutput(text, ofCell: i, failed: error != nil, overridden: !options.parameters.isEmpty, inputs: inputs,
                  seconds: options.timing ? seconds : nil)
    interp.session.ranCells["#\(doc.codeNumber(ofCell: i) ?? 0)"] = doc.cells[i].sourceHash
    var r = CellReport(index: i, number: doc.codeNumber(ofCell: i) ?? 0, title: doc.cells[i].title, error: error,
                       seconds: seconds, output: text)
    r.interrupted = error != nil && environment.isCancelled()
    if options.write { _ = OutputArtifacts.record(interp.shown, cell: i, in: doc, notebook: path) }
    return r
  }

  /// Runs one cell's statements; returns its output, the rendered error (if any), and the duration.
  func execute(_ i: Int, in doc: NotebookDocument, _ interp: Interpreter, _ options: RunOptions)
    -> (output: String, error: String?, seconds: Double)
  {
    let cell = doc.cells[i]
    let start = DispatchTime.now().uptimeNanoseconds
    let lines = diagnosticLines(doc.render())
    var result: Interpreter.CellResult
    do {
      var statements = try Parser.parse(cell.source, firstLine: cell.sourceLine)
      if cell.title == ParameterOverrides.cellTitle && !options.parameters.isEmpty {
        statements = options.parameters.apply(to: statements)
      }
      result = interp.run(statements: statements)
    } catch let d as Diagnostic {
      result = Interpreter.CellResult(output: "", error: d)
    } catch {
      let here = SourceLocation(line: cell.sourceLine, column: 1)
      result = Interpreter.CellResult(output: "", error: Diagnostic("\(error)", at: SourceRange(here, here)))
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (result.output, result.error.map { $0.render(file: fileName, lines: lines) }, seconds)
  }

  func describe(_ i: Int, _ doc: NotebookDocument) -> String {
    let n = doc.codeNumber(ofCell: i) ?? 0
    return doc.cells[i].title.map { "\(n) (\($0))" } ?? "\(n)"
  }
}
