import Foundation

/// The training loop of the original: random windows from random songs, Adam, clipping, validation.
public enum Trainer {
  /// Most optimizer steps one `train` call takes (a billion: years at today's speed), so a step count
  /// from `epochs` can never wrap or be silently cut to one step.
  public static let maxSteps = 1_000_000_000

  /// Splits songs into (train, valid) by song with a seeded shuffle. `valid` is the fraction held
  /// out (rounded; at least one song each side when there are two or more songs and `valid > 0`).
  /// Both halves keep the input order.
  public static func split(_ data: [TokenSequence], valid: Double, seed: UInt64)
    -> (train: [TokenSequence], valid: [TokenSequence])
  {
    let (t, v) = splitIndices(count: data.count, valid: valid, seed: seed)
    return (t.map { data[$0] }, v.map { data[$0] })
  }

  /// The indices `split` puts on each side, ascending.
  public static func splitIndices(count n: Int, valid: Double, seed: UInt64) -> (train: [Int], valid: [Int]) {
    guard valid > 0, n >= 2 else { return (Array(0..<max(0, n)), []) }
    var k = Int((Double(n) * valid).rounded())
    k = min(max(k, 1), n - 1)
    var idx = Array(0..<n)
    var rng = SeededRNG(seed: seed ^ 0x5EED_5A17)
    for i in stride(from: n - 1, to: 0, by: -1) { idx.swapAt(i, rng.int(below: i + 1)) }
    let held = Set(idx.prefix(k))
    var tr: [Int] = [], va: [Int] = []
    for i in 0..<n { if held.contains(i) { va.append(i) } else { tr.append(i) } }
    return (tr, va)
  }

  /// Checks ids are in `0..<V`, lengths agree and offsets are finite.
  static func validate(_ data: [TokenSequence], vocabSize V: Int) throws {
    for (k, s) in data.enumerated() {
      guard s.ids.count == s.offsets.count else {
        throw NNError.invalidInput("sequence \(k): \(s.ids.count) ids but \(s.offsets.count) offsets")
      }
      if let bad = s.ids.firstIndex(where: { $0 < 0 || $0 >= V }) {
        throw NNError.invalidInput("sequence \(k), event \(bad): token id \(s.ids[bad]) outside 0..<\(V)")
      }
      if let bad = s.offsets.firstIndex(where: { !$0.isFinite }) {
        throw NNError.invalidInput("sequence \(k), event \(bad): offset is not finite")
      }
    }
  }

  /// Trains `model` in place. Deterministic for (`model` state, `data`, `options`), whatever
  /// `options.threads`. Throws `NNError.nonFiniteLoss` (weights from before that step kept) or
  /// `NNError.invalidInput`. When `progress` returns false, stops after that step (weights kept).
  public static func train(_ model: GRUNet, on data: [TokenSequence], options o: TrainOptions,
                           progress: (TrainProgress) -> Bool) throws -> TrainSummary {
    guard o.batch >= 1, o.seq >= 1, o.coef >= 1 else {
      throw NNError.invalidInput("batch, seq and coef must be positive")
    }
    guard o.valid >= 0 && o.valid < 1 else { throw NNError.invalidInput("valid must be in [0, 1)") }
    guard o.threads >= 1 && o.threads <= 1024 else { throw NNError.invalidInput("threads must be in 1...1024") }
    guard o.lr > 0 && o.lr.isFinite else { throw NNError.invalidInput("lr must be a finite number > 0") }
    for (name, x) in [("weight_decay", o.weightDecay), ("w_cls", o.wCls), ("w_off", o.wOff)]
    where !(x >= 0 && x.isFinite) {
      throw NNError.invalidInput("\(name) must be a finite number >= 0, got \(x)")
    }
    guard o.smoothing >= 0 && o.smoothing < 1 else { throw NNError.invalidInput("smoothing must be in [0, 1)") }
    for (name, p) in [("dropout_out", o.dropoutOut), ("dropout_in", o.dropoutIn), ("weight_drop", o.weightDrop)]
    where !(p >= 0 && p < 1) {
      throw NNError.invalidInput("\(name) must be in [0, 1)")
    }
    guard !o.clip.isNaN else { throw NNError.invalidInput("clip must be a number (0 or less: no clipping)") }
    if let e = o.evalEvery, e < 1 { throw NNError.invalidInput("evalEvery must be at least 1") }
    try validate(data, vocabSize: model.config.vocabSize)
    let (trainSet, validSet) = split(data, valid: o.valid, seed: o.seed)
    let songs = trainSet.filter { $0.count >= 2 }
    guard !songs.isEmpty else { throw NNError.invalidInput("no training sequence has 2 or more events") }
    for map in o.transpositions where map.count != model.config.vocabSize {
      throw NNError.invalidInput("a transposition maps \(map.count) ids, the vocabulary has \(model.config.vocabSize)")
    }
    let versions = transposedVersions(songs, o.transpositions)
    let total: Int
    if let s = o.steps {
      guard s >= 0 else { throw NNError.invalidInput("steps must be >= 0") }
      total = s
    } else {
      let e = o.epochs ?? 1
      guard e > 0 && e.isFinite else { throw NNError.invalidInput("epochs must be a finite number > 0") }
      let exact = (e * Double(o.coef) * Double(trainSet.count) / Double(o.batch)).rounded(.up)
      guard exact <= Double(maxSteps) else {
        throw NNError.invalidInput("epochs \(e) means \(exact) steps (epochs × coef \(o.coef) × "
          + "\(trainSet.count) songs / batch \(o.batch)); at most \(maxSteps) steps are allowed")
      }
      total = max(1, Int(exact))
    }
    guard total <= maxSteps else { throw NNError.invalidInput("steps \(total) is more than \(maxSteps)") }
    guard model.history.steps >= 0, model.history.steps <= Int.max - total else {
      throw NNError.invalidInput("the model has taken \(model.history.steps) steps; \(total) more would "
        + "overflow its step counter")
    }
    try GRUNet.validate(model.config, training: true)
    try MemoryBudget.checkTraining(model.config, T: o.seq, B: o.batch)
    let evalEvery = max(1, o.evalEvery ?? TrainOptions.defaultEvalEvery(total))
    let validWindows = fixedWindows(validSet, seq: o.seq, limit: max(1, o.validWindows))
    if let p = o.patience, p < 1 { throw NNError.invalidInput("patience must be at least 1") }
    if let d = o.lrDecay, !(d > 0 && d < 1) { throw NNError.invalidInput("lr_decay must be in (0, 1)") }
    guard o.lrPatience >= 1 else { throw NNError.invalidInput("lr_patience must be at least 1") }
    if let a = o.average, !(a > 0 && a < 1) { throw NNError.invalidInput("average must be in (0, 1)") }

    let savedThreads = Parallel.threads
    Parallel.threads = max(1, o.threads)
    defer { Parallel.threads = savedThreads }

    model.ensureTrainingState()
    let ws = Workspace(config: model.config, T: o.seq, maxB: o.batch, training: true,
                       inputDropout: o.dropoutIn, headDropout: o.dropoutOut, recurrentDropout: o.weightDrop)
    var s0 = o.seed ^ (UInt64(model.history.steps) &* 0x2545_F491_4F6C_DD1D)
    var rng = SeededRNG(seed: splitMix64(&s0))
    var hyper = Adam.Hyper(lr: o.lr, weightDecay: o.weightDecay)
    var lrCuts: [(step: Int, lr: Float)] = []
    var sinceCut = 0
    let n = model.parameterCount
    var recent: [Double] = []
    var lastValid: Double? = nil
    var cancelled = false
    var done = 0
    var busy: Double = 0
    var best = BestWeights(keep: o.keep == .best && !validWindows.isEmpty)
    var average = o.average.map { AveragedWeights(model, decay: $0) }
    /// Scores the weights validation is about (the average, when kept) and offers them to `best`.
    func scoreValidation(step: Int) -> Double {
      let score = { () -> Double in
        let v = validationLoss(model, ws: ws, windows: validWindows, options: o)
        best.offer(model, loss: v, step: step)
        return v
      }
      return average.map { $0.withAverage(model, score) } ?? score()
    }
    var stoppedEarly = false
    for step in 1...max(total, 1) where total > 0 {
      let t0 = DispatchTime.now().uptimeNanoseconds
      for b in 0..<o.batch {
        let k = rng.int(below: songs.count)
        let s = versions.isEmpty ? songs[k] : versions[k][rng.int(below: versions[k].count)]
        let start = rng.int(below: max(1, s.count - o.seq))
        ws.setWindow(b, of: o.batch, seq: s, start: start)
      }
      ws.forward(model, B: o.batch, dropout: true, seed: rng.next())
      let sums = ws.loss(smoothing: o.smoothing, wCls: o.wCls, wOff: o.wOff, grad: true)
      let loss = sums.loss(wCls: o.wCls, wOff: o.wOff)
      let globalStep = model.history.steps + 1
      guard loss.isFinite else { throw NNError.nonFiniteLoss(step: globalStep) }
      model.grads!.update(repeating: 0, count: n)
      ws.backward(model)
      let stepped = StepProfile.measure("clip+adam") { applyGradients(model, clip: o.clip, hyper) }
      guard stepped else { throw NNError.nonFiniteLoss(step: globalStep) }
      average?.update(model)
      busy += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      done += 1
      model.history.steps = globalStep
      model.history.train.append(LossPoint(step: globalStep, loss: loss))
      let tps = Double(done * o.batch * o.seq) / max(busy, 1e-9)
      model.history.tokensPerSecond = tps
      recent.append(loss)
      if recent.count > 10 { recent.removeFirst() }
      if !validWindows.isEmpty && (step % evalEvery == 0 || step == total) {
        let v = scoreValidation(step: globalStep)
        model.history.valid.append(LossPoint(step: globalStep, loss: v))
        lastValid = v
        sinceCut = best.sinceBest == 0 ? 0 : sinceCut + 1
        if let d = o.lrDecay, sinceCut >= o.lrPatience, step < total {
          hyper.lr *= d
          lrCuts.append((globalStep, hyper.lr))
          sinceCut = 0
        }
        if let p = o.patience, best.sinceBest >= p, step < total {
          stoppedEarly = true
          _ = progress(TrainProgress(step: step, totalSteps: total, loss: loss, tokensPerSecond: tps,
                                     positions: ws.N))
          break
        }
      }
      if !progress(TrainProgress(step: step, totalSteps: total, loss: loss, tokensPerSecond: tps,
                                positions: ws.N)) {
        cancelled = step < total
        break
      }
    }
    if cancelled && !validWindows.isEmpty {
      let v = scoreValidation(step: model.history.steps)
      model.history.valid.append(LossPoint(step: model.history.steps, loss: v))
      lastValid = v
    }
    let kept = best.restore(into: model)
    // Not restored (keep last, or the best was the last evaluation): the run ends with the average.
    if kept == nil, let average { average.install(into: model) }
    if best.enabled {
      model.history.kept = kept ?? model.history.steps
      model.history.stoppedEarly = stoppedEarly
    } else {
      model.history.kept = nil
      model.history.stoppedEarly = nil
    }
    let trainLoss = recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count)
    return TrainSummary(steps: done, cancelled: cancelled, trainLoss: trainLoss, validLoss: lastValid,
                        keptStep: kept, bestValidLoss: best.enabled ? best.loss : lastValid,
                        stoppedEarly: stoppedEarly, lrCuts: lrCuts)
  }

  /// For each song, itself and its copies under each id map that keeps all its tokens (none when `maps`
  /// is empty).
  static func transposedVersions(_ songs: [TokenSequence], _ maps: [[Int]]) -> [[TokenSequence]] {
    guard !maps.isEmpty else { return [] }
    return songs.map { s in
      var out = [s]
      for map in maps {
        var ids = s.ids
        var ok = true
        for i in ids.indices {
          let id = ids[i]
          guard id >= 0, id < map.count, map[id] >= 0 else { ok = false; break }
          ids[i] = map[id]
        }
        if ok { out.append(TokenSequence(ids: ids, offsets: s.offsets)) }
      }
      return out
    }
  }

  /// Clips `model.grads` to a global norm of `clip` (when > 0) and takes one Adam step. Returns
  /// false, leaving the weights untouched, when the gradient norm is not finite.
  static func applyGradients(_ model: GRUNet, clip: Float, _ hyper: Adam.Hyper) -> Bool {
    let n = model.parameterCount
    guard let g = model.grads, let m = model.adamM, let v = model.adamV else { return false }
    let norm = clip > 0 ? Adam.clip(g, n, maxNorm: clip) : Adam.norm(g, n)
    guard norm.isFinite else { return false }
    model.adamStep += 1
    Adam.step(p: model.params, g: g, m: m, v: v, n: n, step: model.adamStep, hyper)
    return true
  }

  /// Windows at starts 0, seq, 2*seq, ... of each sequence (each target predicted once), at most
  /// `limit` (nil: all), in order.
  static func fixedWindows(_ data: [TokenSequence], seq: Int, limit: Int?) -> [(TokenSequence, Int)] {
    var out: [(TokenSequence, Int)] = []
    for s in data where s.count >= 2 {
      var start = 0
      while start < s.count - 1 {
        if let l = limit, out.count >= l { return out }
        out.append((s, start))
        start += seq
      }
    }
    return out
  }

  /// The training objective (no dropout, same weights/smoothing) over fixed validation windows.
  static func validationLoss(_ m: GRUNet, ws: Workspace, windows: [(TokenSequence, Int)],
                             options o: TrainOptions) -> Double {
    var sums = LossLayer.Sums()
    var i = 0
    while i < windows.count {
      let B = min(ws.maxB, windows.count - i)
      for b in 0..<B { ws.setWindow(b, of: B, seq: windows[i + b].0, start: windows[i + b].1) }
      ws.forward(m, B: B, dropout: false, seed: 0)
      sums.add(ws.loss(smoothing: o.smoothing, wCls: o.wCls, wOff: o.wOff, grad: false))
      i += B
    }
    return sums.loss(wCls: o.wCls, wOff: o.wOff)
  }
}
