/// An exponential moving average of the weights, for `TrainOptions.average` (Polyak averaging, as
/// `torch.optim.swa_utils.AveragedModel` with an EMA rule or TensorFlow's `ExponentialMovingAverage`).
/// Starts at the weights the run starts from; after the `t`-th optimizer step of the run,
/// `avg += (1 - d) · (w - avg)` with `d = min(decay, (1 + t) / (10 + t))`, so the first steps are not
/// held back by the initial weights. Element-wise: deterministic for any thread count.
struct AveragedWeights {
  let decay: Float
  private(set) var updates = 0
  private var average: [Float]

  init(_ model: GRUNet, decay: Float) {
    self.decay = decay
    average = Array(UnsafeBufferPointer(start: model.params, count: model.parameterCount))
  }

  /// The decay used for the `t`-th update.
  static func rate(decay: Float, update t: Int) -> Float {
    let x = Float(t)
    return min(decay, (1 + x) / (10 + x))
  }

  /// Folds in the model's weights after an optimizer step.
  mutating func update(_ model: GRUNet) {
    updates += 1
    let a = 1 - Self.rate(decay: decay, update: updates)
    let p = UnsafePointer(model.params)
    average.withUnsafeMutableBufferPointer { s in
      for i in 0..<s.count { s[i] += a * (p[i] - s[i]) }
    }
  }

  /// Runs `body` with the model holding the averaged weights, then gives it its own weights back.
  func withAverage<R>(_ model: GRUNet, _ body: () throws -> R) rethrows -> R {
    let n = average.count
    let own = Array(UnsafeBufferPointer(start: model.params, count: n))
    install(into: model)
    defer { own.withUnsafeBufferPointer { model.params.update(from: $0.baseAddress!, count: n) } }
    return try body()
  }

  /// Replaces the model's weights with the average (its Adam state stays).
  func install(into model: GRUNet) {
    precondition(average.count == model.parameterCount)
    average.withUnsafeBufferPointer { model.params.update(from: $0.baseAddress!, count: $0.count) }
  }
}
