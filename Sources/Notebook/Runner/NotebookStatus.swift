/// `midigen status`: the state of each code cell's output.
public enum NotebookStatus {
  public enum State: String, Sendable, Equatable {
    case upToDate = "ok"
    case stale = "stale"
    case neverRun = "never run"
    case failed = "failed"
  }

  public struct Entry: Sendable, Equatable {
    public var number: Int
    public var title: String?
    public var line: Int
    public var state: State
  }

  public static func entries(_ doc: NotebookDocument) -> [Entry] {
    doc.codeCellIndices.enumerated().map { k, i in
      let c = doc.cells[i]
      let state: State
      if c.outputBlock == nil {
        state = .neverRun
      } else if c.isStale {
        state = .stale
      } else if c.outputBlock?.failed == true {
        state = .failed
      } else {
        state = .upToDate
      }
      return Entry(number: k + 1, title: c.title, line: max(1, c.sourceLine - 1), state: state)
    }
  }

  /// One line per cell that needs attention (stale, never run, failed), then a summary line.
  public static func report(_ doc: NotebookDocument) -> String {
    let all = entries(doc)
    var lines: [String] = []
    for e in all where e.state != .upToDate {
      let name = e.title.map { "cell \(e.number) (\($0))" } ?? "cell \(e.number)"
      lines.append("\(doc.file):\(e.line): \(e.state.rawValue): \(name)")
    }
    let n = all.filter { $0.state != .upToDate }.count
    lines.append(n == 0 ? "\(doc.file): all \(all.count) code cells are up to date"
                        : "\(doc.file): \(n) of \(all.count) code cells need running")
    return lines.joined(separator: "\n")
  }
}
