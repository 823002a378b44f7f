import Foundation

/// What `midigen run` does with a notebook.
public struct RunOptions {
  /// Run only this code cell (number or title) against the saved session.
  public var cell: String? = nil
  public var parameters = ParameterOverrides()
  /// Run the remaining cells after a failure.
  public var keepGoing = false
  /// Record durations in output headers.
  public var timing = false
  /// Write the notebook (after each cell) and the session; false for `--check`.
  public var write = true
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
  public var failed: Bool { error != nil }
  /// "3 (train)" or "3".
  public var name: String { title.map { "\(number) (\($0))" } ?? "\(number)" }
}

/// The outcome of a run: the text before, the document after, and each cell's report.
public struct RunResult {
  public var original: String
  public var document: NotebookDocument
  public var reports: [CellReport]
  /// Why the session could not be saved (the notebook itself was written); nil when it was.
  public var sessionError: String? = nil
  public var failed: Bool { reports.contains(where: \.failed) }
  public var rendered: String { document.render() }
}

/// Runs a notebook file: all cells top to bottom, or one cell against the saved session. Writes the
/// notebook atomically after each cell and the session at the end (unless `write` is false).
public final class NotebookRunner {
  public let path: String
  public var environment: ExecutionEnvironment
  let builtins: [Builtin]
  let store: SessionStore
  /// Called after each cell (the CLI prints a line per cell).
  public var onCell: (CellReport) -> Void = { _ in }

  public init(path: String, environment: ExecutionEnvironment, library: StandardLibrary = StandardLibrary()) {
    self.path = path
    self.environment = environment
    self.builtins = library.builtins
    self.store = SessionStore(restorers: library.restorers)
  }

  var fileName: String { (path as NSString).lastPathComponent }

  /// Runs the notebook. Throws a `NotebookError` for what stops a run before any cell: unreadable file,
  /// format error (`.format`, the rendered diagnostic), unknown cell, bad parameters, unreadable session.
  public func run(_ options: RunOptions) throws -> RunResult {
    let original = try NotebookFile.read(path)
    var doc: NotebookDocument
    do {
      doc = try NotebookDocument.parse(original, file: fileName)
    } catch let d as Diagnostic {
      throw NotebookError.format(d.render(file: path, lines: diagnosticLines(original)))
    }
    let builtinNames = Set(builtins.map(\.name))
    var parsed: [Int: [Statement]] = [:]
    for i in doc.codeCellIndices {
      do { parsed[i] = try Parser.parse(doc.cells[i].source, firstLine: doc.cells[i].sourceLine) } catch {}
    }
    let parameterCell = doc.codeCellIndices.first { doc.cells[$0].title == ParameterOverrides.cellTitle }
    if let c = parameterCell, parsed[c] == nil, !options.parameters.isEmpty {
      let (_, error, _) = execute(c, in: doc, Interpreter(environment: environment, builtins: []), RunOptions())
      throw NotebookError.badParameter("-p: the parameters cell does not parse:\n" + (error ?? ""))
    }
    try options.parameters.validate(against: parameterCell.flatMap { parsed[$0] })

    var reports: [CellReport] = []
    let report: (CellReport) -> Void = { r in
      reports.append(r)
      self.onCell(r)
    }

    if let selector = options.cell {
      let target = try doc.cellIndex(for: selector)
      let saved = try store.load(notebook: path)
      let interp = Interpreter(session: saved ?? Session(), environment: environment, builtins: builtins)
      if saved == nil {
        for dep in Dependencies.of(target, parsed: parsed, builtins: builtinNames) {
          let (_, error, _) = execute(dep, in: doc, interp, options)
          if let error {
            let text = "error: cell \(describe(dep, doc)), which this cell depends on, failed:\n" + error
            doc.setOutput(text, ofCell: target, failed: true)
            if options.write { try NotebookFile.write(doc.render(), to: path) }
            report(CellReport(index: target, number: doc.codeNumber(ofCell: target) ?? 0,
                              title: doc.cells[target].title, error: text, seconds: 0))
            return RunResult(original: original, document: doc, reports: reports)
          }
        }
      }
      // -p with --cell: the overridden names take their new values before the target runs.
      if target != parameterCell, let statements = parameterCell.flatMap({ parsed[$0] }) {
        let assignments = options.parameters.apply(to: statements).filter {
          if case .assign(let name, _, _) = $0 { return options.parameters.values.contains { $0.name == name } }
          return false
        }
        if case .some(let error) = interp.run(statements: assignments).error {
          throw NotebookError.badParameter("-p: \(error.message)")
        }
      }
      try runCell(target, &doc, interp, options, report)
      return RunResult(original: original, document: doc, reports: reports,
                       sessionError: saveSession(interp.session, options))
    }

    let interp = Interpreter(session: Session(), environment: environment, builtins: builtins)
    for i in doc.codeCellIndices {
      try runCell(i, &doc, interp, options, report)
      if reports.last?.failed == true && !options.keepGoing { break }
    }
    return RunResult(original: original, document: doc, reports: reports,
                     sessionError: saveSession(interp.session, options))
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

  /// Runs code cell `i`, sets its output, writes the notebook.
  func runCell(_ i: Int, _ doc: inout NotebookDocument, _ interp: Interpreter, _ options: RunOptions,
               _ report: (CellReport) -> Void) throws {
    let (output, error, seconds) = execute(i, in: doc, interp, options)
    var text = output
    if let error { text += (text.isEmpty ? "" : "\n") + error }
    doc.setOutput(text, ofCell: i, failed: error != nil, seconds: options.timing ? seconds : nil)
    interp.session.ranCells["#\(doc.codeNumber(ofCell: i) ?? 0)"] = doc.cells[i].sourceHash
    if options.write { try NotebookFile.write(doc.render(), to: path) }
    if options.write { OutputArtifacts.record(interp.shown, cell: i, in: doc, notebook: path) }
    report(CellReport(index: i, number: doc.codeNumber(ofCell: i) ?? 0, title: doc.cells[i].title, error: error,
                      seconds: seconds))
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
      var note = ""
      if cell.title == ParameterOverrides.cellTitle && !options.parameters.isEmpty {
        statements = options.parameters.apply(to: statements)
        note = options.parameters.values.map { "-p \($0.name)=\($0.text)" }.joined(separator: "\n")
      }
      result = interp.run(statements: statements)
      if !note.isEmpty { result.output = note + (result.output.isEmpty ? "" : "\n" + result.output) }
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
