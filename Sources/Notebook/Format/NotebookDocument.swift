/// A parsed `.mgnb` notebook.
///
/// Format (plain UTF-8 text, line based):
/// - `%% md` (or `%% markdown`) starts a markdown cell; text before the first header is a markdown cell too.
/// - `%% code` or `%% code: TITLE` starts a code cell; the title addresses it (`--cell TITLE`).
/// - `%% output HASH [error] [overridden] [in=H,…] [time=1.234s]` starts the output block of the code cell
///   above it. It is written by midigen: HASH is `SourceHash.short` of the cell's trimmed source when it
///   ran; `overridden` marks a run with `-p`; `in=` records the state of the cells it read names from
///   (`Staleness`); lines of the output that could be mistaken for headers are escaped (`OutputEscaping`).
/// - Any other line starting with `%%` is an error.
///
/// `render()` reproduces the parsed text byte for byte (a UTF-8 byte order mark included); `setOutput`
/// rewrites only an output block, with the file's own line ending.
public struct NotebookDocument: Sendable, Equatable {
  public var cells: [Cell]
  /// The file name used in diagnostics.
  public var file: String
  /// True when the file starts with a UTF-8 byte order mark (kept on write).
  public var byteOrderMark = false
  /// The line ending of the file's first line ("\r\n" or "\n"): what midigen writes.
  public var newline = "\n"

  public init(cells: [Cell], file: String) {
    self.cells = cells
    self.file = file
  }

  /// Parses notebook text. Throws a `Diagnostic` (line:column) for an unknown header or a misplaced
  /// output block.
  public static func parse(_ text: String, file: String) throws -> NotebookDocument {
    var text = text
    let bom = text.unicodeScalars.first == "\u{FEFF}"
    if bom { text.unicodeScalars.removeFirst() }
    var cells: [Cell] = []
    var lineNumber = 0
    // Where the body lines of the current cell or output block go.
    var inOutput = false
    var pending = Cell(kind: .markdown, header: nil, source: "", sourceLine: 1)
    var hasPending = false

    func flush() {
      if hasPending { cells.append(pending) }
      hasPending = false
      inOutput = false
    }

    for line in linesKeepingTerminators(text) {
      lineNumber += 1
      guard line.hasPrefix("%%") else {
        if inOutput {
          pending.outputBlock?.body += line
        } else {
          if !hasPending {  // text before the first header
            pending = Cell(kind: .markdown, header: nil, source: "", sourceLine: lineNumber)
            hasPending = true
          }
          pending.source += line
        }
        continue
      }
      let header = try Header.parse(line, line: lineNumber)
      switch header {
      case .markdown:
        flush()
        pending = Cell(kind: .markdown, header: line, source: "", sourceLine: lineNumber + 1)
        hasPending = true
      case .code(let title):
        flush()
        pending = Cell(kind: .code, title: title, header: line, source: "", sourceLine: lineNumber + 1)
        hasPending = true
      case .output(let hash, let failed, let overridden, let inputs):
        guard hasPending, pending.kind == .code, !inOutput else {
          let what = inOutput ? "a second output block for the same cell" : "an output block must follow a code cell"
          throw Diagnostic(what, at: headerRange(line, lineNumber))
        }
        pending.outputBlock = OutputBlock(hash: hash, failed: failed, overridden: overridden, inputs: inputs,
                                          header: line, body: "")
        inOutput = true
      }
    }
    flush()
    var doc = NotebookDocument(cells: cells, file: file)
    doc.byteOrderMark = bom
    doc.newline = firstLineEnding(text)
    return doc
  }

  /// "\r\n" when the first line of `text` ends so, else "\n".
  static func firstLineEnding(_ text: String) -> String {
    var previous: Unicode.Scalar? = nil
    for c in text.unicodeScalars {
      if c == "\n" { return previous == "\r" ? "\r\n" : "\n" }
      previous = c
    }
    return "\n"
  }

  /// The notebook text: every header and body exactly as parsed or set.
  public func render() -> String {
    var s = byteOrderMark ? "\u{FEFF}" : ""
    for cell in cells {
      if let h = cell.header { s += h }
      s += cell.source
      if let o = cell.outputBlock { s += o.header + o.body }
    }
    return s
  }

  /// Indices (into `cells`) of the code cells, in order. Code cell number N (1-based) is
  /// `cells[codeCellIndices[N - 1]]`.
  public var codeCellIndices: [Int] { cells.indices.filter { cells[$0].kind == .code } }

  /// The index into `cells` of the code cell named by `selector`: its 1-based number among code cells,
  /// or its title. Throws `NotebookError.noSuchCell` listing what exists.
  public func cellIndex(for selector: String) throws -> Int {
    let code = codeCellIndices
    if let n = Int(selector) {
      guard n >= 1 && n <= code.count else {
        throw NotebookError.noSuchCell("no code cell \(n): the notebook has \(code.count) code cells")
      }
      return code[n - 1]
    }
    let matches = code.filter { cells[$0].title == selector }
    if matches.count == 1 { return matches[0] }
    if matches.count > 1 {
      throw NotebookError.noSuchCell("\(matches.count) code cells are titled '\(selector)'; use a number")
    }
    let titles = code.compactMap { cells[$0].title }
    var msg = "no code cell titled '\(selector)'"
    if let near = DidYouMean.suggest(selector, among: titles) { msg += " (did you mean '\(near)'?)" }
    throw NotebookError.noSuchCell(msg)
  }

  /// The 1-based code cell number of `cells[index]` (nil for markdown cells).
  public func codeNumber(ofCell index: Int) -> Int? {
    codeCellIndices.firstIndex(of: index).map { $0 + 1 }
  }

  /// Replaces (or adds) the output block of code cell `index`. Only that block changes, except that a
  /// final line without a line terminator gets one so the new header starts on its own line.
  /// `overridden` and `inputs` are recorded in the header (see `OutputBlock`).
  public mutating func setOutput(_ text: String, ofCell index: Int, failed: Bool, overridden: Bool = false,
                                 inputs: [String] = [], seconds: Double? = nil) {
    var cell = cells[index]
    if cell.source.isEmpty, let h = cell.header, !h.endsLine { cell.header = h + newline }
    if !cell.source.isEmpty && !cell.source.endsLine { cell.source += newline }
    cell.outputBlock = OutputBlock.make(
      text: text, hash: cell.sourceHash, failed: failed, overridden: overridden, inputs: inputs, seconds: seconds,
      separated: index < cells.count - 1, newline: newline)
    cells[index] = cell
    renumber()
  }

  /// Replaces code cell `index`'s source (the REPL's `:edit`), keeping its header and output block; the
  /// text gets the file's line ending.
  public mutating func setSource(_ source: String, ofCell index: Int) {
    var body = OutputBlock.trimTrailing(source) + "\n"
    if cells[index].outputBlock == nil && index < cells.count - 1 { body += "\n" }
    if let h = cells[index].header, !h.endsLine { cells[index].header = h + newline }
    cells[index].source = newline == "\n" ? body : body.replacingNewlines(with: newline)
    renumber()
  }

  /// Recomputes every cell's `sourceLine` after a block changed size.
  mutating func renumber() {
    var line = 1
    func count(_ s: String) -> Int { s.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 } }
    for i in cells.indices {
      if let h = cells[i].header { line += count(h) + (h.endsLine ? 0 : 1) }
      cells[i].sourceLine = line
      line += count(cells[i].source)
      if let o = cells[i].outputBlock { line += count(o.header) + count(o.body) }
    }
  }

  /// Appends a code cell (used by the REPL's `:keep`) with its source and output, separated from the
  /// previous cell by a blank line.
  public mutating func appendCode(_ source: String, output: String, title: String? = nil) {
    let nl = newline
    func separated(_ s: String) -> String {
      if s.isEmpty || s.endsWithScalars(nl + nl) { return s }
      return s + (s.endsLine ? nl : nl + nl)
    }
    if let last = cells.indices.last {
      if var o = cells[last].outputBlock {
        o.body = o.body.isEmpty ? nl : separated(o.body)
        cells[last].outputBlock = o
      } else if cells[last].source.isEmpty {
        if let h = cells[last].header, !h.endsLine { cells[last].header = h + nl }
      } else {
        cells[last].source = separated(cells[last].source)
      }
    }
    let header = (title.map { "%% code: \($0)" } ?? "%% code") + nl
    var body = source
    if !body.endsLine { body += "\n" }
    if nl != "\n" { body = body.replacingNewlines(with: nl) }
    cells.append(Cell(kind: .code, title: title, header: header, source: body, sourceLine: 0))
    setOutput(output, ofCell: cells.count - 1, failed: false)
  }
}

/// Errors of the notebook runner that are not tied to a source position.
public enum NotebookError: Error, Sendable, Equatable, CustomStringConvertible {
  case noSuchCell(String)
  case badParameter(String)
  case io(String)
  case session(String)
  /// A notebook that does not parse: the rendered diagnostic.
  case format(String)
  /// Another process holds the notebook's lock (`--no-wait`, or waiting was given up).
  case busy(String)

  public var description: String {
    switch self {
    case .noSuchCell(let s), .badParameter(let s), .io(let s), .session(let s), .format(let s), .busy(let s): return s
    }
  }
}

/// The parsed form of a `%%` header line.
enum Header: Equatable {
  case markdown
  case code(title: String?)
  case output(hash: String, failed: Bool, overridden: Bool, inputs: [String])

  static func parse(_ raw: String, line: Int) throws -> Header {
    var scalars = Substring(raw).unicodeScalars
    while let c = scalars.last, c == "\n" || c == "\r" { scalars.removeLast() }
    let text = Substring(scalars)
    let rest = text.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" })
    let word = rest.prefix(while: { $0.isLetter })
    let after = rest.dropFirst(word.count)
    switch word {
    case "md", "markdown":
      if after.allSatisfy({ $0 == " " || $0 == "\t" }) { return .markdown }
    case "code":
      let t = after.drop(while: { $0 == " " || $0 == "\t" })
      if t.isEmpty { return .code(title: nil) }
      if t.hasPrefix(":") {
        let title = t.dropFirst().trimmingSpaces()
        return .code(title: title.isEmpty ? nil : title)
      }
    case "output":
      let words = after.split(whereSeparator: { $0 == " " || $0 == "\t" })
      let hash = words.first.map(String.init) ?? ""
      let rest = words.dropFirst()
      let inputs = rest.first(where: { $0.hasPrefix("in=") }).map {
        $0.dropFirst(3).split(separator: ",").map(String.init)
      } ?? []
      return .output(hash: hash, failed: rest.contains("error"), overridden: rest.contains("overridden"),
                     inputs: inputs)
    default:
      break
    }
    throw Diagnostic(
      "unknown cell header '\(text)' (expected '%% md', '%% code', '%% code: TITLE' or '%% output')",
      at: NotebookDocument.headerRange(raw, line))
  }
}

extension NotebookDocument {
  static func headerRange(_ raw: String, _ line: Int) -> SourceRange {
    let width = raw.unicodeScalars.prefix(while: { $0 != "\n" && $0 != "\r" }).count
    return SourceRange(SourceLocation(line: line, column: 1), SourceLocation(line: line, column: width + 1))
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" })
      .reversed())
  }
}

/// Splits text into lines, each keeping its "\n" terminator (the last line may lack one).
func linesKeepingTerminators(_ text: String) -> [String] {
  var lines: [String] = []
  var current = ""
  for ch in text.unicodeScalars {
    current.unicodeScalars.append(ch)
    if ch == "\n" {
      lines.append(current)
      current = ""
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}

extension String {
  /// True when the last scalar is a line feed. (`hasSuffix("\n")` compares `Character`s, and a CRLF file's
  /// `\r\n` is one `Character`, so it would say no.)
  var endsLine: Bool { unicodeScalars.last == "\n" }

  /// `hasSuffix` on Unicode scalars.
  func endsWithScalars(_ suffix: String) -> Bool {
    let a = Array(unicodeScalars), b = Array(suffix.unicodeScalars)
    return a.count >= b.count && Array(a.suffix(b.count)) == b
  }
}
