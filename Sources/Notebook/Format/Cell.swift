/// One cell of a `.mgnb` notebook: a markdown cell or a code cell (with the output block midigen wrote
/// under it, if any). The raw text of the header and body is kept so the document renders back byte for
/// byte (`NotebookDocument.render()`).
public struct Cell: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable { case markdown, code }

  public var kind: Kind
  /// The title of a `%% code: TITLE` cell (trimmed), addressing it in `--cell TITLE` and `:run TITLE`.
  public var title: String?
  /// The header line exactly as written, including its line terminator; nil for the markdown text before
  /// the first header.
  public var header: String?
  /// The body exactly as written: every byte between the header line and the next header (or end of file),
  /// including trailing blank lines.
  public var source: String
  /// 1-based file line of the body's first line (for diagnostics).
  public var sourceLine: Int
  /// The output block under a code cell, if present.
  public var outputBlock: OutputBlock?

  public init(kind: Kind, title: String? = nil, header: String?, source: String, sourceLine: Int,
              outputBlock: OutputBlock? = nil) {
    self.kind = kind
    self.title = title
    self.header = header
    self.source = source
    self.sourceLine = sourceLine
    self.outputBlock = outputBlock
  }

  /// The unescaped text of the output block (without trailing blank lines); nil when the cell never ran.
  public var output: String? { outputBlock?.text }

  /// The source without trailing blank lines and trailing whitespace: what is hashed and displayed.
  public var trimmedSource: String { OutputBlock.trimTrailing(source) }

  /// The short hash of `trimmedSource` recorded in output headers.
  public var sourceHash: String { SourceHash.short(trimmedSource) }

  /// True when the cell has an output block recorded for a different source than the current one.
  public var isStale: Bool {
    guard let block = outputBlock else { return false }
    return block.hash != sourceHash
  }
}

/// The `%% output HASH [error] [overridden] [in=H,H…] [time=…]` block under a code cell. Written only by
/// midigen.
public struct OutputBlock: Sendable, Equatable {
  /// The source hash recorded when the output was produced.
  public var hash: String
  /// True when the cell ended with an error.
  public var failed: Bool
  /// True when the cell ran with `-p` overrides (listed as `-p name=value` lines at the top of the text).
  public var overridden: Bool = false
  /// What the cell read when it ran: one state hash per cell it reads names from (`Staleness.state`), in
  /// the order of `Staleness.directDependencies`. Empty when it reads nothing from other cells.
  public var inputs: [String] = []
  /// The header line as written, with its terminator.
  public var header: String
  /// The body as written (escaped), every byte up to the next header or end of file.
  public var body: String

  public init(hash: String, failed: Bool, overridden: Bool = false, inputs: [String] = [], header: String,
              body: String) {
    self.hash = hash
    self.failed = failed
    self.overridden = overridden
    self.inputs = inputs
    self.header = header
    self.body = body
  }

  /// Builds the block midigen writes for `text`: header, escaped text, and a blank separator line when
  /// `separated` (another cell follows). Every line ends with `newline` (the file's own line ending).
  public static func make(text: String, hash: String, failed: Bool, overridden: Bool = false,
                          inputs: [String] = [], seconds: Double? = nil, separated: Bool,
                          newline: String = "\n") -> OutputBlock {
    var header = "%% output \(hash)"
    if failed { header += " error" }
    if overridden { header += " overridden" }
    if !inputs.isEmpty { header += " in=" + inputs.joined(separator: ",") }
    if let seconds { header += " time=" + formatSeconds(seconds) }
    header += newline
    let trimmed = trimTrailing(text)
    var body = trimmed.isEmpty ? "" : OutputEscaping.escape(trimmed) + "\n"
    if separated { body += "\n" }
    if newline != "\n" { body = body.replacingNewlines(with: newline) }
    return OutputBlock(hash: hash, failed: failed, overridden: overridden, inputs: inputs, header: header,
                       body: body)
  }

  /// The unescaped text, trailing blank lines removed.
  public var text: String { OutputEscaping.unescape(OutputBlock.trimTrailing(body)) }

  /// Removes trailing whitespace (spaces, tabs, CR, newlines) at the end of the text, and trailing spaces,
  /// tabs and CRs of each line (so a CRLF file reads as its LF twin). Works on Unicode scalars: a Swift
  /// `Character` holds `\r\n` as one character and would never split there.
  static func trimTrailing(_ s: String) -> String {
    var lines: [String.UnicodeScalarView] = [String.UnicodeScalarView()]
    for c in s.unicodeScalars {
      if c == "\n" { lines.append(String.UnicodeScalarView()) } else { lines[lines.count - 1].append(c) }
    }
    for k in lines.indices {
      while let c = lines[k].last, c == " " || c == "\t" || c == "\r" { lines[k].removeLast() }
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    var out = String.UnicodeScalarView()
    for (k, l) in lines.enumerated() {
      if k > 0 { out.append("\n") }
      out.append(contentsOf: l)
    }
    return String(out)
  }

  static func formatSeconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)s"
  }
}

extension String {
  /// The text with every `\n` (not already preceded by `\r`) written as `newline`.
  func replacingNewlines(with newline: String) -> String {
    var out = String.UnicodeScalarView()
    var previous: Unicode.Scalar? = nil
    for c in unicodeScalars {
      if c == "\n" && previous != "\r" { out.append(contentsOf: newline.unicodeScalars) } else { out.append(c) }
      previous = c
    }
    return String(out)
  }
}
