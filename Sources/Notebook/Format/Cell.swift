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

/// The `%% output HASH [error] [time=…]` block under a code cell. Written only by midigen.
public struct OutputBlock: Sendable, Equatable {
  /// The source hash recorded when the output was produced.
  public var hash: String
  /// True when the cell ended with an error.
  public var failed: Bool
  /// The header line as written, with its terminator.
  public var header: String
  /// The body as written (escaped), every byte up to the next header or end of file.
  public var body: String

  public init(hash: String, failed: Bool, header: String, body: String) {
    self.hash = hash
    self.failed = failed
    self.header = header
    self.body = body
  }

  /// Builds the block midigen writes for `text`: header, escaped text, and a blank separator line when
  /// `separated` (another cell follows).
  public static func make(text: String, hash: String, failed: Bool, seconds: Double? = nil,
                          separated: Bool) -> OutputBlock {
    var header = "%% output \(hash)"
    if failed { header += " error" }
    if let seconds { header += " time=" + formatSeconds(seconds) }
    header += "\n"
    let trimmed = trimTrailing(text)
    var body = trimmed.isEmpty ? "" : OutputEscaping.escape(trimmed) + "\n"
    if separated { body += "\n" }
    return OutputBlock(hash: hash, failed: failed, header: header, body: body)
  }

  /// The unescaped text, trailing blank lines removed.
  public var text: String { OutputEscaping.unescape(OutputBlock.trimTrailing(body)) }

  /// Removes trailing whitespace (spaces, tabs, CR, newlines) at the end of the text, and trailing spaces
  /// of each line.
  static func trimTrailing(_ s: String) -> String {
    var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
      var l = line
      while let c = l.last, c == " " || c == "\t" || c == "\r" { l.removeLast() }
      return l
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    return lines.joined(separator: "\n")
  }

  static func formatSeconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)s"
  }
}
