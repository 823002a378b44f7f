/// Options of `Trainer.train` (defaults are the PyTorch original's).
public struct TrainOptions: Sendable {
  /// Number of optimizer steps; when nil, derived from `epochs`.
  public var steps: Int? = nil
  /// Epochs of `coef` windows per training song (default 1 when `steps` is also nil).
  public var epochs: Double? = nil
  public var coef = 1000
  public var batch = 64
  /// Window length in events (each window reads `seq + 1` events: inputs and next-event targets).
  public var seq = 256
  public var lr: Float = 1e-3
  public var weightDecay: Float = 1e-4
  public var smoothing: Float = 0
  /// Dropout on the features the two heads read (after the last LayerNorm), in training only. Not in
  /// the original (0 there); a checkpoint does not depend on it.
  public var dropoutOut: Float = 0
  /// Dropout on the first GRU layer's input (after the first LayerNorm), in training only. Not in the
  /// original (0 there); a checkpoint does not depend on it.
  public var dropoutIn: Float = 0
  /// DropConnect on the recurrent weights `W_hh` (AWD-LSTM's weight drop): each step masks every layer's
  /// `W_hh` once (all rows and time steps share the mask), in training only. Not in the original (0 there).
  public var weightDrop: Float = 0
  public var wCls: Float = 1
  public var wOff: Float = 10
  /// Global gradient-norm clip (applied before Adam); 0 or less disables.
  public var clip: Float = 10
  /// Fraction of songs held out for validation (by song, seeded).
  public var valid: Double = 0.1
  public var seed: UInt64 = 0
  /// `Parallel.threads` during training (results are bit-identical for any value).
  public var threads = 2
  /// Validate every N steps (nil: `defaultEvalEvery(total)`, about 40 times per run), and always at
  /// the end.
  public var evalEvery: Int? = nil
  /// At most this many fixed validation windows (see `Trainer.fixedWindows`).
  public var validWindows = 256
  /// Which weights the model holds at the end: those of the evaluation with the lowest validation
  /// loss (`.best`, the default; needs a validation split) or the last step's.
  public var keep: Keep = .best
  /// Stop after this many evaluations in a row without a new lowest validation loss (nil: never).
  public var patience: Int? = nil
  /// Multiplies the learning rate by this factor after `lrPatience` evaluations in a row without a
  /// new lowest validation loss (PyTorch's `ReduceLROnPlateau`; nil: the rate stays `lr`).
  public var lrDecay: Float? = nil
  /// Evaluations without a new low before the rate is lowered (the count restarts after each cut).
  public var lrPatience = 2
  /// Data augmentation by transposition: id maps (`map[id]` is the id of the token moved by some number
  /// of semitones, -1 when the vocabulary lacks it). Each training song also appears moved by every map
  /// that keeps all its tokens; a window picks one of its song's versions at random. Empty: no augmentation
  /// (and no extra random draws, so runs without it are unchanged).
  public var transpositions: [[Int]] = []
  /// Exponential moving average of the weights with this decay (e.g. 0.999; nil: none). Validation
  /// scores the averaged weights, `keep` chooses among them, and the run ends with averaged weights
  /// (the training losses are those of the weights being trained). See `AveragedWeights`.
  public var average: Float? = nil
  public init() {}

  public enum Keep: String, Sendable { case best, last }

  /// About 40 evaluations per run: every `max(1, total / 40)` steps.
  public static func defaultEvalEvery(_ total: Int) -> Int { max(1, total / 40) }
}

/// Reported after every step; the callback returns false to cancel.
public struct TrainProgress: Sendable {
  public var step: Int
  public var totalSteps: Int
  public var loss: Double
  public var tokensPerSecond: Double
  /// Positions of this step's batch that were computed (not padding), of `batch · seq`.
  public var positions: Int = 0
}

/// What a `Trainer.train` call did. `trainLoss` is the mean loss of the last (up to) 10 steps.
public struct TrainSummary: Sendable {
  public var steps: Int
  public var cancelled: Bool
  public var trainLoss: Double
  public var validLoss: Double?
  /// The (global) step whose weights were restored by `keep: .best` (nil: the last step's kept).
  public var keptStep: Int? = nil
  /// The best validation loss of this run, at `keptStep` or the last step.
  public var bestValidLoss: Double? = nil
  /// Stopped by `patience` before the step budget.
  public var stoppedEarly = false
  /// Where `lrDecay` lowered the rate: (global step, new rate), in order.
  public var lrCuts: [(step: Int, lr: Float)] = []
}
