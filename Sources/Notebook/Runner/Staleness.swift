/// Dependency-aware staleness: a cell's output is out of date when its source changed, or when a cell it
/// reads names from is out of date, never ran, or ran again with a different result after it.
///
/// Each output header records `in=H,…`: one state hash per *direct* dependency (the last cell before it
/// that assigns a name it reads; `Dependencies` gives the names), taken when the cell ran. A cell's state
/// (`state(of:)`) hashes what its last run was made of: its source hash, its own recorded inputs, its
/// error flag and its `-p` overrides. So states chain like a Merkle tree: re-running an upstream cell with a
/// new source (or new overrides) changes the state every reader recorded, and they become stale; a
/// re-run that reproduces the same inputs keeps them up to date. Nothing depends on clocks or run order,
/// so a full re-run stays byte-identical.
public enum Staleness {
  /// One cell a cell reads from: its index in `cells` and the names read from it (`#seed` is the seed
  /// stream), sorted.
  public struct Source: Sendable, Equatable {
    public var cell: Int
    public var names: [String]
  }

  /// The parsed statements of each code cell that parses, by index into `doc.cells`.
  public static func parse(_ doc: NotebookDocument) -> [Int: [Statement]] {
    var parsed: [Int: [Statement]] = [:]
    for i in doc.codeCellIndices {
      // A cell that does not parse reads and assigns nothing here; running it reports its error.
      do { parsed[i] = try Parser.parse(doc.cells[i].source, firstLine: doc.cells[i].sourceLine) } catch {}
    }
    return parsed
  }

  /// The cells `target` reads names from directly, in document order: for each name it reads, the last
  /// earlier code cell that assigns it.
  public static func directDependencies(_ target: Int, parsed: [Int: [Statement]], builtins: Set<String>)
    -> [Source]
  {
    guard let statements = parsed[target] else { return [] }
    let earlier = parsed.keys.filter { $0 < target }.sorted(by: >)
    var byCell: [Int: Set<String>] = [:]
    for name in Dependencies.used(statements, builtins: builtins) {
      if let j = earlier.first(where: { parsed[$0].map { Dependencies.assigned($0).contains(name) } ?? false }) {
        byCell[j, default: []].insert(name)
      }
    }
    return byCell.keys.sorted().map { Source(cell: $0, names: byCell[$0, default: []].sorted()) }
  }

  /// The state of a cell's last run as recorded in its output block; nil when it never ran.
  public static func state(of cell: Cell) -> String? {
    guard let block = cell.outputBlock else { return nil }
    var s = block.hash + "|" + block.inputs.joined(separator: ",") + "|" + (block.failed ? "error" : "")
    if block.overridden { s += "|" + overrides(block).joined(separator: "\n") }
    return SourceHash.short(s)
  }

  /// The `-p name=value` lines at the top of an overridden cell's output.
  public static func overrides(_ block: OutputBlock) -> [String] {
    guard block.overridden else { return [] }
    return block.text.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("-p ") }
      .map(String.init)
  }

  /// What to record in `in=` for cell `target` now: the states of its direct dependencies.
  public static func inputs(_ target: Int, in doc: NotebookDocument, parsed: [Int: [Statement]],
                            builtins: Set<String>) -> [String] {
    directDependencies(target, parsed: parsed, builtins: builtins).map { state(of: doc.cells[$0.cell]) ?? "none" }
  }

  /// The state of one code cell's output, and why when it is not up to date.
  public struct Verdict: Sendable, Equatable {
    public var state: NotebookStatus.State
    public var reason: String?
  }

  /// The verdict of every code cell, by index into `doc.cells`.
  public static func verdicts(_ doc: NotebookDocument, builtins: Set<String>) -> [Int: Verdict] {
    let parsed = parse(doc)
    var result: [Int: Verdict] = [:]
    for i in doc.codeCellIndices {
      result[i] = verdict(i, doc, parsed, builtins, result)
    }
    return result
  }

  static func verdict(_ i: Int, _ doc: NotebookDocument, _ parsed: [Int: [Statement]], _ builtins: Set<String>,
                      _ earlier: [Int: Verdict]) -> Verdict {
    let cell = doc.cells[i]
    guard let block = cell.outputBlock else { return Verdict(state: .neverRun, reason: nil) }
    if block.hash != cell.sourceHash { return Verdict(state: .stale, reason: "source edited since it ran") }
    let sources = directDependencies(i, parsed: parsed, builtins: builtins)
    func describe(_ s: Source) -> String {
      let names = s.names.map { $0 == Dependencies.seedName ? "the seed stream" : "`\($0)`" }
      return "reads " + names.joined(separator: ", ")
    }
    func cellName(_ j: Int) -> String {
      let n = doc.codeNumber(ofCell: j) ?? 0
      return doc.cells[j].title.map { "cell \(n) (\($0))" } ?? "cell \(n)"
    }
    if sources.count != block.inputs.count {
      let what = sources.map { describe($0) + " from " + cellName($0.cell) }.joined(separator: "; ")
      return Verdict(state: .stale, reason: (what.isEmpty ? "reads nothing" : what)
        + " now, other cells than when it ran (cells were added, removed or edited)")
    }
    for (k, s) in sources.enumerated() {
      let dep = earlier[s.cell]?.state
      if dep == .neverRun {
        return Verdict(state: .stale, reason: describe(s) + " from " + cellName(s.cell) + ", which never ran")
      }
      if state(of: doc.cells[s.cell]) != block.inputs[k] {
        return Verdict(state: .stale, reason: describe(s) + ", redefined by " + cellName(s.cell) + " after this ran")
      }
      if dep == .stale {
        return Verdict(state: .stale, reason: describe(s) + " from " + cellName(s.cell) + ", which is stale")
      }
    }
    if block.failed { return Verdict(state: .failed, reason: nil) }
    if block.overridden {
      let list = overrides(block)
      return Verdict(state: .overridden, reason: "ran with " + (list.isEmpty ? "-p" : list.joined(separator: ", ")))
    }
    return Verdict(state: .upToDate, reason: nil)
  }
}
