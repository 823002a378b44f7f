/// Plain value types shared by the model, the trainer, the sampler and checkpoints.

/// Hyper-parameters of a `GRUNet` (the PyTorch original's constructor arguments).
public struct GRUConfig: Codable, Sendable, Equatable {
  /// Number of tokens including `<PAD>` at index 0.
  public var vocabSize: Int
  public var hidden = 256
  public var layers = 2
  /// Dropout probability between GRU layers (training only).
  public var dropout: Float = 0.2

  public init(vocabSize: Int, hidden: Int = 256, layers: Int = 2, dropout: Float = 0.2) {
    self.vocabSize = vocabSize
    self.hidden = hidden
    self.layers = layers
    self.dropout = dropout
  }
}

/// An event sequence as the network sees it: token ids (0 = `<PAD>`) and offsets in quarters since the
/// previous event. `ids.count == offsets.count`.
public struct TokenSequence: Sendable, Equatable {
  public var ids: [Int]
  public var offsets: [Float]
  public init(ids: [Int], offsets: [Float]) {
    self.ids = ids
    self.offsets = offsets
  }
  public var count: Int { ids.count }
}

/// One point of a loss curve.
public struct LossPoint: Codable, Sendable, Equatable {
  public var step: Int
  public var loss: Double
  public init(step: Int, loss: Double) {
    self.step = step
    self.loss = loss
  }
}

/// What a model has been through: total optimizer steps, train loss per step, validation loss per
/// evaluation, and the training speed of the last run (tokens = batch * seq positions per second).
/// `valid` is the training objective (token cross-entropy + w_off x SmoothL1 of the offsets) on the
/// fixed validation windows, not `Evaluator`'s token cross-entropy over whole songs.
public struct TrainingHistory: Codable, Sendable, Equatable {
  public var steps: Int = 0
  public var train: [LossPoint] = []
  public var valid: [LossPoint] = []
  public var tokensPerSecond: Double = 0
  /// The step whose weights the model holds when training kept the best validation loss rather
  /// than the last step's weights (nil: the last step's, or no validation).
  public var kept: Int? = nil
  /// Why the last training run ended before its step budget ("patience"), if it did.
  public var stoppedEarly: Bool? = nil
  public init() {}
}

/// Errors of the NN module. Each names what is wrong and where.
public enum NNError: Error, CustomStringConvertible, Equatable {
  /// Training produced a NaN/inf loss (or gradient) at `step` (1-based, counted over the model's life).
  /// The model keeps the weights from before that step.
  case nonFiniteLoss(step: Int)
  /// A checkpoint file could not be read or written: `path` and the reason.
  case checkpoint(path: String, reason: String)
  /// Bad arguments or data (token out of range, empty dataset, bad option).
  case invalidInput(String)

  public var description: String {
    switch self {
    case .nonFiniteLoss(let step):
      return "training stopped: non-finite loss at step \(step) (weights from before that step kept)"
    case .checkpoint(let path, let reason):
      return "\(path): \(reason)"
    case .invalidInput(let m):
      return m
    }
  }
}
