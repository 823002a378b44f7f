/// The built-ins of the language and the restorers of their objects for sessions.
public struct StandardLibrary {
  public var builtins: [Builtin]
  public var restorers: [String: ObjectRestorer]

  /// Every built-in, in the order `help()` lists them.
  public init() {
    builtins = [
      FileBuiltins.load, MelodyBuiltins.vocab, TrainBuiltin.builtin, SampleBuiltin.sample, PlotBuiltin.builtin,
      FileBuiltins.save, FileBuiltins.open, SampleBuiltin.evaluate, StatsBuiltin.builtin, MelodyBuiltins.song, MelodyBuiltins.take,
      MelodyBuiltins.drop, MelodyBuiltins.randomNotes, CoreBuiltins.seed, CoreBuiltins.print, CoreBuiltins.help,
    ]
    // save takes lists too; the standard library and listening go before seed/print/help.
    builtins = builtins.map { $0.name == "save" ? SaveListBuiltin.wrapping($0) : $0 }
    let seedIndex = builtins.firstIndex { $0.name == "seed" } ?? builtins.count
    builtins.insert(contentsOf: StandardLibrary.added, at: seedIndex)
    restorers = [
      "melody": MelodyObject.restore, "dataset": DatasetObject.restore, "vocabulary": VocabObject.restore,
      "model": ModelObject.restore, "history": HistoryObject.restore, "chart": ChartObject.restore,
      "function": UserFunction.restore,
    ]
  }

  /// Melodies, listening, lists and numbers (issue 12), in `help()` order.
  static var added: [Builtin] {
    [
      MelodyBuiltins.transpose, PlayBuiltin.play, PlayBuiltin.stop,
      ListBuiltins.len, ListBuiltins.range, ListBuiltins.sum, ListBuiltins.min, ListBuiltins.max,
      ListBuiltins.sorted, ListBuiltins.zip, ListBuiltins.enumerate,
      NumberBuiltins.round, NumberBuiltins.abs, NumberBuiltins.str, NumberBuiltins.int, NumberBuiltins.float,
    ]
  }

  /// The same as `init()` (kept for call sites that read better with it).
  public static func full() -> StandardLibrary { StandardLibrary() }

  /// Built-in names, for completion and dependency analysis.
  public var names: [String] { builtins.map(\.name) }

  /// Every argument label of every built-in, for completion.
  public var labels: [String] { Array(Set(builtins.flatMap(\.labels))).sorted() }
}
