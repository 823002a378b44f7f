import Foundation

/// The REPL's logic, independent of the terminal: feed it lines, it returns what to print. Handles
/// continuation lines (input that ends too early: an open bracket, a trailing operator), the `:`
/// commands, and completion candidates. The `midigen repl` command wraps it with readline.
public final class ReplEngine {
  public let interpreter: Interpreter
  /// The open notebook (for `:cells`, `:run`, `:keep`, `:edit`; `:open` changes it); its file may not
  /// exist yet.
  public internal(set) var notebookPath: String?
  let library: StandardLibrary
  var pending: [String] = []
  var last: (input: String, output: String)? = nil
  /// Every input that ran without error, in order: what `:keep` slices (see `ReplNotebook.swift`).
  var kept: [ReplInput] = []
  /// Opens an editor on a cell's source for `:edit` and returns the saved text (nil: abandoned). Set by
  /// the terminal; without it `:edit` is unavailable.
  public var editor: ((String) throws -> String?)? = nil
  /// Called once when a write-back waits for a `midigen run` of the same notebook.
  public var onWait: (String) -> Void = { _ in }
  /// Counts inputs, so diagnostics name them (`<repl 3>:1:5`).
  var inputNumber = 0
  /// Functions defined by inputs (the latest last): an error inside one is shown in the input that defined it.
  var definitions: [(function: FunctionSource, input: Int, source: String)] = []

  public init(interpreter: Interpreter, notebookPath: String?, library: StandardLibrary = StandardLibrary()) {
    self.interpreter = interpreter
    self.notebookPath = notebookPath
    self.library = library
  }

  /// What the terminal does after a line.
  public enum Response: Equatable {
    /// The input is unfinished: read a continuation line.
    case more
    /// Print this (may be empty) and read the next input.
    case output(String)
    case quit
  }

  public var prompt: String { pending.isEmpty ? "midigen> " : "     ...> " }

  public static let commandHelp = """
    :help            this help (help() lists the built-ins)
    :vars            the session's variables
    :cells           the code cells of the open notebook, with their status
    :run N|TITLE|all run cells of the open notebook in this session and write their outputs into it
    :keep [NAME ...] [as TITLE]
                     append one code cell holding the inputs that rebuild the last value (or the named
                     variables), with their output
    :edit N|TITLE    edit a cell's source in $EDITOR; after saving, it is written back and run
    :open NB.mgnb    open another notebook (its saved session's variables join this session)
    :quit            leave (Ctrl-D too). Ctrl-C stops the running statement at a safe point (a training
                     step, a sampling segment, a loop iteration), or clears the line.
    """

  static let commands = [":help", ":vars", ":cells", ":run", ":keep", ":edit", ":open", ":quit"]

  /// Feeds one line of input.
  public func feed(_ line: String) -> Response {
    if pending.isEmpty {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix(":") { return command(trimmed) }
      if trimmed.isEmpty { return .output("") }
    }
    pending.append(line)
    let source = pending.joined(separator: "\n")
    inputNumber += 1
    let statements: [Statement]
    do {
      statements = try Parser.parse(source)
    } catch let d as Diagnostic {
      // An unfinished input reads another line, unless that line was empty (the user gave up) outside a
      // block (inside an unterminated block, empty lines are part of it: `}` or Ctrl-C ends it).
      let inBlock = d.message.hasPrefix("unterminated block")
      if d.isIncomplete && (inBlock || !line.trimmingCharacters(in: .whitespaces).isEmpty) {
        inputNumber -= 1
        return .more
      }
      pending = []
      return .output(d.render(file: "<repl \(inputNumber)>", lines: diagnosticLines(source)))
    } catch {
      pending = []
      return .output("error: \(error)")
    }
    pending = []
    let result = interpreter.run(statements: statements)
    for case .function(let decl) in statements {
      definitions.removeAll { $0.function.name == decl.name }
      definitions.append((FunctionSource(decl), inputNumber, source))
    }
    var text = result.output
    if let d = result.error {
      text += (text.isEmpty ? "" : "\n") + render(d, source: source)
    } else {
      last = (source, result.output)
      kept.append(ReplInput(source: source, statements: statements, output: result.output))
    }
    return .output(text)
  }

  /// A diagnostic of the current input. An error inside a function defined by another input (or by the
  /// open notebook, or restored with the session) is shown in that function's source, with a note naming
  /// the function and the input that called it.
  func render(_ d: Diagnostic, source: String) -> String {
    guard let f = d.function else { return d.render(file: "<repl \(inputNumber)>", lines: diagnosticLines(source)) }
    let here = "<repl \(inputNumber)>"
    if let def = definitions.last(where: { $0.function == f }) {
      if def.input == inputNumber { return d.render(file: here, lines: diagnosticLines(source)) }
      return d.render(file: "<repl \(def.input)>", lines: diagnosticLines(def.source))
        + "\n  (in \(f.name)(), defined in <repl \(def.input)>, called from \(here))"
    }
    let file = notebookPath ?? "<fn \(f.name)>"
    return d.render(file: file, lines: f.lines) + "\n  (in \(f.name)(), called from \(here))"
  }

  /// Drops an unfinished input (Ctrl-C at a continuation prompt).
  public func cancelInput() { pending = [] }

  func command(_ text: String) -> Response {
    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
    let name = parts[0]
    let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    switch name {
    case ":help", ":h", ":?": return .output(ReplEngine.commandHelp)
    case ":quit", ":q", ":exit": return .quit
    case ":vars": return .output(vars())
    case ":cells": return .output(withNotebook { doc in cells(doc) })
    case ":run": return .output(withNotebook { doc in try runAndWrite(argument, doc) })
    case ":keep": return .output(keepSlice(argument))
    case ":edit": return .output(withNotebook { doc in try edit(argument, doc) })
    case ":open": return .output(open(argument))
    default:
      var message = "unknown command '\(name)'"
      if let near = DidYouMean.suggest(name, among: ReplEngine.commands) { message += " (did you mean '\(near)'?)" }
      return .output(message + "; :help lists the commands")
    }
  }

  func vars() -> String {
    let names = interpreter.session.variables.keys.sorted()
    guard !names.isEmpty else { return "no variables yet" }
    return names.map { name -> String in
      let v = interpreter.session.variables[name] ?? .nothing
      let first = v.display.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
      let short = first.count > 70 ? String(first.prefix(69)) + "…" : first
      return "\(name) (\(v.typeName)): \(short)"
    }.joined(separator: "\n")
  }

  /// Reads the open notebook (an absent file is an empty notebook).
  func readNotebook() throws -> NotebookDocument {
    guard let path = notebookPath else {
      throw NotebookError.io("no notebook is open (start with `midigen repl NB.mgnb`)")
    }
    let name = (path as NSString).lastPathComponent
    guard FileManager.default.fileExists(atPath: path) else { return NotebookDocument(cells: [], file: name) }
    let text = try NotebookFile.read(path)
    do {
      return try NotebookDocument.parse(text, file: name)
    } catch let d as Diagnostic {
      throw NotebookError.format(d.render(file: path, lines: diagnosticLines(text)))
    }
  }

  func withNotebook(_ body: (NotebookDocument) throws -> String) -> String {
    do {
      return try body(try readNotebook())
    } catch {
      return "error: \(error)"
    }
  }

  func cells(_ doc: NotebookDocument) -> String {
    let status = NotebookStatus.entries(doc)
    guard !status.isEmpty else { return "the notebook has no code cells" }
    return status.map { e -> String in
      let cell = doc.cells[doc.codeCellIndices[e.number - 1]]
      let first = cell.trimmedSource.split(separator: "\n").first.map(String.init) ?? ""
      let title = e.title.map { " (\($0))" } ?? ""
      return "\(e.number)\(title) [\(e.state.rawValue)]: \(first)"
    }.joined(separator: "\n")
  }

  /// Completion candidates for the word `prefix`: built-ins, variables, argument labels (`top_p:`),
  /// members (`model.hi` -> `model.history`), and `:` commands.
  public func completions(for prefix: String) -> [String] { completions(for: prefix, before: "") }

  /// Completion candidates for the word `prefix` preceded on its line by `before`: inside the arguments of
  /// `f(`, the labels offered are only `f`'s (a built-in's or a user function's).
  public func completions(for prefix: String, before: String) -> [String] {
    if !prefix.hasPrefix(":") && !prefix.contains("."), let callee = ReplEngine.openCallee(before) {
      var labels: [String]? = nil
      if let b = interpreter.builtins[callee] { labels = b.labels }
      if let f = interpreter.userFunction(callee) { labels = f.labels }
      if let labels {
        let names = (interpreter.builtinOrder + interpreter.session.variables.keys.sorted()).filter { $0.hasPrefix(prefix) }
        return Array(Set(labels.map { $0 + ":" }.filter { $0.hasPrefix(prefix) } + names)).sorted()
      }
    }
    return wordCompletions(for: prefix)
  }

  /// The name before the innermost unclosed '(' of `text` (outside strings), if any.
  static func openCallee(_ text: String) -> String? {
    var stack: [Int] = []
    var inString = false
    var escaped = false
    let scalars = Array(text.unicodeScalars)
    for (k, c) in scalars.enumerated() {
      if inString {
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
        continue
      }
      switch c {
      case "\"": inString = true
      case "(": stack.append(k)
      case ")": _ = stack.popLast()
      default: break
      }
    }
    guard let open = stack.last else { return nil }
    var j = open
    var name = ""
    while j > 0, scalars[j - 1].properties.isAlphabetic || scalars[j - 1] == "_" || ("0"..."9").contains(scalars[j - 1]) {
      j -= 1
      name.unicodeScalars.insert(scalars[j], at: name.unicodeScalars.startIndex)
    }
    return name.isEmpty ? nil : name
  }

  func wordCompletions(for prefix: String) -> [String] {
    if prefix.hasPrefix(":") { return ReplEngine.commands.filter { $0.hasPrefix(prefix) } }
    if let dot = prefix.lastIndex(of: ".") {
      let base = String(prefix[..<dot])
      let partial = String(prefix[prefix.index(after: dot)...])
      guard let v = interpreter.session.variables[base] else { return [] }
      var names: [String] = []
      switch v {
      case .object(let o): names = o.memberNames
      case .list: names = ["count", "first", "last"]
      case .range: names = ["count", "lower", "upper"]
      case .string: names = ["count"]
      default: break
      }
      return names.filter { $0.hasPrefix(partial) }.map { base + "." + $0 }
    }
    let userLabels = interpreter.session.variables.keys.compactMap { interpreter.userFunction($0)?.labels }.joined()
    let words = interpreter.builtinOrder + interpreter.session.variables.keys.sorted()
      + (library.labels + userLabels).map { $0 + ":" }
    var seen: Set<String> = []
    return words.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }.sorted()
  }

  /// Runs a whole session over injected input and output (plain lines, no prompts): what
  /// `midigen repl` does when stdin is not a terminal. Returns when input ends or on `:quit`.
  public func loop(readLine: () -> String?, write: (String) -> Void) {
    while let line = readLine() {
      switch feed(line) {
      case .more: continue
      case .quit: return
      case .output(let text): if !text.isEmpty { write(text + "\n") }
      }
    }
    if !pending.isEmpty {
      // Input ended inside an unfinished statement: report it.
      let source = pending.joined(separator: "\n")
      pending = []
      inputNumber += 1
      do {
        _ = try Parser.parse(source)
      } catch let d as Diagnostic {
        write(d.render(file: "<repl \(inputNumber)>", lines: diagnosticLines(source)) + "\n")
      } catch {
        write("error: \(error)\n")
      }
    }
  }
}
