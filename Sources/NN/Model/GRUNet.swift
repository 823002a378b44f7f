import Foundation

/// The GRUNet of the PyTorch original, with all parameters in one allocation.
///
///     x = emb(tok) + off(offset)          // Embedding(V,H) + Linear(1,H)
///     x = norm(x)                         // LayerNorm(H), eps 1e-5
///     h = gru(x)                          // GRU(H,H,layers), dropout between layers, h0 = 0
///     y = extract(h)                      // ReLU, LayerNorm(H)
///     logits = fc_class(y)                // Linear(H,V,bias=False)
///     offset = fc_offset(y)               // Linear(H,1,bias=False), ReLU
///
/// `params` holds every tensor in `state_dict` order (see `ParameterLayout`); `grads`, `adamM` and
/// `adamV` are allocated on first training. Not thread-safe: one training or sampling call at a time.
public final class GRUNet: @unchecked Sendable {
  public let config: GRUConfig
  /// Token strings; `vocab[0] == "<PAD>"`, `vocab.count == config.vocabSize`.
  public var vocab: [String]
  /// Free-form string metadata saved inside the checkpoint's `config` (e.g. "encoding" -> JSON).
  public var metadata: [String: String] = [:]
  public var history = TrainingHistory()
  public let layout: ParameterLayout
  /// All parameters, `layout.count` floats.
  public let params: UnsafeMutablePointer<Float>
  /// Gradients / Adam moments (nil until the model is trained).
  var grads: UnsafeMutablePointer<Float>? = nil
  var adamM: UnsafeMutablePointer<Float>? = nil
  var adamV: UnsafeMutablePointer<Float>? = nil
  /// Adam's step counter (bias correction), separate from `history.steps` for clarity.
  var adamStep = 0

  public var parameterCount: Int { layout.count }

  /// A freshly initialised model, as PyTorch would: `emb` N(0,1); `off` U(±1) (fan_in 1); GRU
  /// U(±1/sqrt(H)); `fc_class`, `fc_offset` U(±1/sqrt(H)); LayerNorms weight 1, bias 0.
  ///
  /// The config must pass `validate` (callers with sizes from input call it first, or use
  /// `init(checked:vocab:seed:)`); otherwise this stops the program (`fatalError`, which even `-Ounchecked`
  /// keeps) rather than allocate a wrapped size.
  public init(config: GRUConfig, vocab: [String], seed: UInt64) {
    if let problem = GRUNet.problem(config) { fatalError("GRUNet: \(problem)") }
    if vocab.count != config.vocabSize {
      fatalError("GRUNet: vocab has \(vocab.count) tokens, config says \(config.vocabSize)")
    }
    self.config = config
    self.vocab = vocab
    layout = ParameterLayout(config)
    params = .allocate(capacity: layout.count)
    params.initialize(repeating: 0, count: layout.count)
    var rng = SeededRNG(seed: seed)
    let H = config.hidden
    let k = 1 / Float(H).squareRoot()
    func fill(_ off: Int, _ n: Int, _ f: (inout SeededRNG) -> Float) {
      for i in 0..<n { params[off + i] = f(&rng) }
    }
    fill(layout.emb, config.vocabSize * H) { $0.normal() }
    fill(layout.offW, H) { $0.uniform(-1, 1) }
    fill(layout.offB, H) { $0.uniform(-1, 1) }
    fill(layout.normW, H) { _ in 1 }
    for g in layout.gru {
      fill(g.wih, 3 * H * H) { $0.uniform(-k, k) }
      fill(g.whh, 3 * H * H) { $0.uniform(-k, k) }
      fill(g.bih, 3 * H) { $0.uniform(-k, k) }
      fill(g.bhh, 3 * H) { $0.uniform(-k, k) }
    }
    fill(layout.extW, H) { _ in 1 }
    fill(layout.cls, config.vocabSize * H) { $0.uniform(-k, k) }
    fill(layout.offHead, H) { $0.uniform(-k, k) }
  }

  /// A model with `config` after `validate(config, training: false)`: throws instead of allocating
  /// what does not fit.
  public convenience init(checked config: GRUConfig, vocab: [String], seed: UInt64) throws {
    try GRUNet.validate(config, training: false)
    guard vocab.count == config.vocabSize else {
      throw NNError.invalidInput("vocab has \(vocab.count) tokens, config says \(config.vocabSize)")
    }
    self.init(config: config, vocab: vocab, seed: seed)
  }

  /// Why `config` cannot make a model (sizes out of range or overflowing), or nil.
  static func problem(_ c: GRUConfig) -> String? {
    if c.vocabSize < 2 { return "vocab_size \(c.vocabSize) must be at least 2" }
    if c.hidden < 1 { return "hidden \(c.hidden) must be at least 1" }
    if c.layers < 1 { return "layers \(c.layers) must be at least 1" }
    if !(c.dropout >= 0 && c.dropout < 1) { return "dropout \(c.dropout) must be in [0, 1)" }
    if MemoryBudget.parameterCount(c) == nil || MemoryBudget.model(c, training: true).bytes == nil {
      return "\(c.layers) layers × \(c.hidden) hidden × \(c.vocabSize) tokens overflows a size"
    }
    return nil
  }

  /// Throws `NNError.invalidInput` for sizes out of range and `MemoryBudget.Exceeded` when the model
  /// (with `training`, also its gradients and Adam moments) does not fit in memory.
  public static func validate(_ c: GRUConfig, training: Bool) throws {
    if let p = problem(c) { throw NNError.invalidInput(p) }
    try MemoryBudget.checkModel(c, training: training)
  }

  deinit {
    params.deallocate()
    grads?.deallocate()
    adamM?.deallocate()
    adamV?.deallocate()
  }

  /// Pointer to the first element of the tensor at `offset` (from `layout`).
  @inline(__always) func p(_ offset: Int) -> UnsafeMutablePointer<Float> { params + offset }

  /// Copies of one tensor's values, by state_dict name (nil if unknown).
  public func tensor(_ name: String) -> [Float]? {
    guard let t = layout.tensor(named: name) else { return nil }
    return Array(UnsafeBufferPointer(start: params + t.offset, count: t.count))
  }

  /// Overwrites one tensor's values by name. Returns false on unknown name or wrong element count.
  @discardableResult
  public func setTensor(_ name: String, _ values: [Float]) -> Bool {
    guard let t = layout.tensor(named: name), values.count == t.count else { return false }
    values.withUnsafeBufferPointer { src in (params + t.offset).update(from: src.baseAddress!, count: t.count) }
    return true
  }

  /// Allocates (zeroed) gradients and Adam moments if needed.
  func ensureTrainingState() {
    if grads == nil {
      let n = layout.count
      grads = .allocate(capacity: n); grads!.initialize(repeating: 0, count: n)
      adamM = .allocate(capacity: n); adamM!.initialize(repeating: 0, count: n)
      adamV = .allocate(capacity: n); adamV!.initialize(repeating: 0, count: n)
    }
  }
}
