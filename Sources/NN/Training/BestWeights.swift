/// The weights (and Adam state) of the evaluation with the lowest validation loss so far, for
/// `keep: .best`. A copy is taken only when the loss improves; `restore` puts it back at the end.
struct BestWeights {
  let enabled: Bool
  private(set) var loss: Double? = nil
  private(set) var step: Int? = nil
  /// Evaluations since the last improvement.
  private(set) var sinceBest = 0
  private var params: [Float] = []
  private var m: [Float] = []
  private var v: [Float] = []
  private var adamStep = 0

  init(keep: Bool) { enabled = keep }

  /// Records an evaluation; copies the weights (when enabled) if `loss` is the lowest so far (a
  /// NaN loss never is). Counts evaluations without improvement either way, for `patience`.
  mutating func offer(_ model: GRUNet, loss newLoss: Double, step newStep: Int) {
    if let l = loss, !(newLoss < l) {
      sinceBest += 1
      return
    }
    guard newLoss.isFinite else {
      sinceBest += 1
      return
    }
    loss = newLoss
    step = newStep
    sinceBest = 0
    guard enabled else { return }
    let n = model.parameterCount
    params = Array(UnsafeBufferPointer(start: model.params, count: n))
    if let am = model.adamM, let av = model.adamV {
      m = Array(UnsafeBufferPointer(start: am, count: n))
      v = Array(UnsafeBufferPointer(start: av, count: n))
    }
    adamStep = model.adamStep
  }

  /// Puts the best weights back when they are not the current ones. Returns the step restored
  /// (nil when nothing was restored: disabled, no evaluation, or the last one was the best).
  func restore(into model: GRUNet) -> Int? {
    guard enabled, let s = step, s != model.history.steps, params.count == model.parameterCount else { return nil }
    let n = model.parameterCount
    params.withUnsafeBufferPointer { model.params.update(from: $0.baseAddress!, count: n) }
    if let am = model.adamM, let av = model.adamV, m.count == n, v.count == n {
      m.withUnsafeBufferPointer { am.update(from: $0.baseAddress!, count: n) }
      v.withUnsafeBufferPointer { av.update(from: $0.baseAddress!, count: n) }
      model.adamStep = adamStep
    }
    return s
  }
}
