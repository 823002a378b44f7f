/// The state a notebook's cells share: variables and the global seed stream. Persisted between processes
/// by `SessionStore`.
public final class Session {
  /// The variables, in slots (`variables` views them by name).
  public let globals = Globals()
  public var seeds = SeedStream(base: 0)
  /// Source hashes of the cells that ran into this session, by code cell title or number ("#3").
  public var ranCells: [String: String] = [:]

  public init() {}
}

/// Default seeds: `seed(n)` sets `base = n` and restarts the stream; each built-in that needs a seed and is
/// not given one draws the next value. Deterministic for a given order of calls.
public struct SeedStream: Codable, Sendable, Equatable {
  public var base: UInt64
  public var draws: UInt64 = 0

  public init(base: UInt64) { self.base = base }

  /// The next default seed (SplitMix64 of base and draw count).
  public mutating func next() -> UInt64 {
    draws += 1
    var z = base &+ draws &* 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return (z ^ (z >> 31)) & 0x7fff_ffff  // small enough to print and pass around as an integer
  }
}

/// A report of long work in progress, for a progress bar outside the library.
public struct ProgressReport: Sendable, Equatable {
  public var task: String  // "train", "sample", "load"
  public var step: Int
  public var total: Int
  public var loss: Double?
  public var tokensPerSecond: Double?
  public init(task: String, step: Int, total: Int, loss: Double? = nil, tokensPerSecond: Double? = nil) {
    self.task = task
    self.step = step
    self.total = total
    self.loss = loss
    self.tokensPerSecond = tokensPerSecond
  }
}

/// Where and how cells run: the folder relative paths resolve against, and the hooks the CLI provides.
public struct ExecutionEnvironment {
  /// Folder that relative paths in the notebook resolve against (the notebook's folder).
  public var baseDirectory: String
  /// Threads for training / sampling (nil: the library default).
  public var threads: Int?
  /// Show durations and speeds in values (`--timing`); off by default so outputs are reproducible.
  public var timing = false
  public var interactive = false  // a person is listening (REPL): `play` sounds; `midigen run` records it skipped
  /// Called with progress of long work (the CLI draws a bar on a terminal). Never writes to outputs.
  public var progress: (ProgressReport) -> Void
  /// Polled by long work; true stops training at the next step (the model stays usable).
  public var isCancelled: () -> Bool
  /// Where `save()` really writes a resolved path (`run --check` sends files to a scratch folder).
  public var redirectWrite: (String) -> String = { $0 }

  public init(baseDirectory: String, threads: Int? = nil, progress: @escaping (ProgressReport) -> Void = { _ in },
              isCancelled: @escaping () -> Bool = { false }) {
    self.baseDirectory = baseDirectory
    self.threads = threads
    self.progress = progress
    self.isCancelled = isCancelled
  }
}
