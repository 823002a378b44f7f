/// `midigen status`: the state of each code cell's output, following dependencies (`Staleness`).
public enum NotebookStatus {
  public enum State: String, Sendable, Equatable {
    case upToDate = "ok"
    case stale = "stale"
    case neverRun = "never run"
    case failed = "failed"
    /// Ran with `-p` overrides: not what the source says until re-run without them.
    case overridden = "overridden"
  }

  public struct Entry: Sendable, Equatable {
    public var number: Int
    public var title: String?
    public var line: Int
    public var state: State
    /// Why the cell is stale or overridden ("reads `model`, redefined by cell 3 after this ran").
    public var reason: String? = nil
  }

  public static func entries(_ doc: NotebookDocument, builtins: Set<String> = Set(StandardLibrary().names))
    -> [Entry]
  {
    let verdicts = Staleness.verdicts(doc, builtins: builtins)
    return doc.codeCellIndices.enumerated().map { k, i in
      let v = verdicts[i] ?? Staleness.Verdict(state: .neverRun, reason: nil)
      return Entry(number: k + 1, title: doc.cells[i].title, line: max(1, doc.cells[i].sourceLine - 1),
                   state: v.state, reason: v.reason)
    }
  }

  /// One line per cell that needs attention (stale, never run, failed, overridden) with its reason, then
  /// a summary line.
  public static func report(_ doc: NotebookDocument, builtins: Set<String> = Set(StandardLibrary().names)) -> String {
    let all = entries(doc, builtins: builtins)
    var lines: [String] = []
    for e in all where e.state != .upToDate {
      let name = e.title.map { "cell \(e.number) (\($0))" } ?? "cell \(e.number)"
      lines.append("\(doc.file):\(e.line): \(e.state.rawValue): \(name)" + (e.reason.map { ": " + $0 } ?? ""))
    }
    let n = all.filter { $0.state != .upToDate }.count
    if all.isEmpty {
      lines.append("\(doc.file): no code cells")
    } else if n == 0 {
      lines.append(all.count == 1 ? "\(doc.file): the code cell is up to date"
                                  : "\(doc.file): all \(all.count) code cells are up to date")
    } else {
      lines.append("\(doc.file): \(n) of \(all.count) code cell\(all.count == 1 ? "" : "s") need\(n == 1 ? "s" : "") running")
    }
    return lines.joined(separator: "\n")
  }
}
