import NN

/// The bounds `train(...)` checks before allocating anything: the step count that `epochs` implies
/// (never wrapped or cut to one step) and the memory the model, its training state and the workspace
/// need (`MemoryBudget`). Errors point at the argument to change.
enum TrainLimits {
  static func check(_ config: GRUConfig, _ o: TrainOptions, songs: Int, call: Call) throws {
    if o.steps == nil, let e = o.epochs {
      let steps = (e * Double(o.coef) * Double(songs) / Double(o.batch)).rounded(.up)
      if !(steps <= Double(Trainer.maxSteps)) {
        let message = "epochs: \(Value.format(e)) means about \(Value.format(steps)) steps (epochs × coef "
          + "\(o.coef) × \(songs) songs / batch \(o.batch)); at most \(Format.grouped(Trainer.maxSteps)) are allowed"
        throw Diagnostic(message, at: call.labelled["epochs"]?.range ?? call.range)
      }
    }
    do {
      try GRUNet.validate(config, training: true)
      try MemoryBudget.checkTraining(config, T: o.seq, B: o.batch)
    } catch {
      let at = ["batch", "seq", "hidden", "layers"].compactMap { call.labelled[$0]?.range }.first ?? call.range
      throw Diagnostic("\(error)", at: at)
    }
  }
}
