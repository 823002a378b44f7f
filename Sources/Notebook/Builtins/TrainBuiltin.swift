import Foundation
import Melody
import NN

/// `train(dataset, ...)` and `train(model, dataset, ...)`.
enum TrainBuiltin {
  static let architectureLabels = ["hidden", "layers", "dropout"]
  static let optionLabels = ["epochs", "steps", "batch", "seq", "lr", "weight_decay", "smoothing", "w_cls",
                             "w_off", "clip", "valid", "seed", "threads", "coef", "keep", "patience",
                             "lr_decay", "lr_patience", "transpose", "dropout_in", "dropout_out", "weight_drop", "average", "eval_every", "unknown"]

  static var builtin: Builtin {
    Builtin(
      "train",
      usage: "train(dataset, hidden: 256, layers: 2, dropout: 0.2, epochs: 1 | steps: N, batch: 64,\n"
        + "      seq: 256, lr: 1e-3, weight_decay: 1e-4, smoothing: 0, w_cls: 1, w_off: 10, clip: 10,\n"
        + "      valid: 0.1, seed: …, threads: 2, coef: 1000, keep: \"best\", patience: none,\n"
        + "      lr_decay: none, lr_patience: 2, transpose: 0, dropout_in: 0, dropout_out: 0,\n"
        + "      weight_drop: 0, average: none, eval_every: steps/40)\n"
        + "train(model, dataset, ..., unknown: \"error\") continues training a model",
      summary: "trains a GRU model on a dataset (the original's config names)",
      details: [
        "hidden, layers, dropout: the network (new models only)",
        "epochs: passes of coef windows per training song, or steps: N",
        "  (steps = ceil(epochs * coef * songs / batch))",
        "batch, seq: windows per step and events per window",
        "lr, weight_decay: Adam; clip: gradient-norm clip (0: off)",
        "smoothing: label smoothing; w_cls, w_off: token and offset loss weights",
        "valid: fraction of songs held out (evaluate() uses the same split)",
        "eval_every: validate every N steps (default: steps/40) and at the end, on",
        "  fixed windows (starts 0, seq, 2·seq… of the validation songs in order,",
        "  at most 256), no dropout: the same windows every time",
        "keep: \"best\" (default with a validation split) ends with the weights of",
        "  the evaluation with the lowest validation loss (model.history.kept",
        "  says which step); \"last\": the last step's",
        "patience: stop after N evaluations in a row without a new lowest",
        "  validation loss",
        "lr_decay: multiply lr by this factor (0 to 1) after lr_patience",
        "  evaluations in a row without a new lowest validation loss",
        "  (PyTorch's ReduceLROnPlateau; weights are not restored)",
        "transpose: N also trains on each training song moved by ±1…±N",
        "  semitones (a window picks one version at random); a version with a",
        "  token the vocabulary lacks is left out. Validation is not transposed.",
        "dropout_in: dropout on the first GRU layer's input (after the first",
        "  LayerNorm); dropout_out: on the features the two heads read (after the",
        "  last LayerNorm); weight_drop: DropConnect on each GRU layer's W_hh",
        "  (one mask per step, as AWD-LSTM). Training only; not in the original",
        "  (0), and the checkpoint does not depend on them",
        "average: keep an exponential moving average of the weights with this",
        "  decay (e.g. 0.999; 0: none; the first steps use (1+t)/(10+t) when smaller):",
        "  validation scores the averaged weights, keep chooses among them and",
        "  the model ends with them; the train losses are the trained weights'",
        "The history's valid loss is the training objective (cross-entropy +",
        "  w_off × SmoothL1 of offsets) on those windows; evaluate() reports",
        "  token cross-entropy over whole songs: different figures.",
        "seed: init, split and windows (default: the next seed of the global",
        "  stream; a continued model keeps its split seed)",
        "threads: training threads (results do not depend on it)",
        "Ctrl-C in the REPL stops training at the next step; the model stays usable.",
        UnknownOption.help,
      ],
      labels: architectureLabels + optionLabels
    ) { call in try run(call) }
  }

  static func run(_ call: Call) throws -> Value {
    try call.allowPositional(2)
    let env = call.interpreter.environment
    var existing: ModelObject? = nil
    let datasetIndex: Int
    if case .object(let o) = try call.argument(0, "a dataset").value, let m = o as? ModelObject {
      existing = m
      datasetIndex = 1
      for label in architectureLabels {
        if let a = call.labelled[label] {
          throw Diagnostic("\(label) can only be set for a new model (train(dataset, \(label): …))", at: a.range)
        }
      }
    } else {
      try call.allowPositional(1)
      datasetIndex = 0
    }
    let ds = try call.object(datasetIndex, DatasetObject.self, existing == nil ? "a dataset or a model" : "a dataset")

    var o = TrainOptions()
    if let s = call.labelled["steps"], call.has("epochs") {
      throw Diagnostic("give epochs: or steps:, not both", at: s.range)
    }
    o.steps = try call.optionalInt("steps", in: 1...Int.max)
    o.epochs = try call.optionalDouble("epochs") { $0 > 0 && $0.isFinite ? nil : "must be > 0" }
    if o.steps == nil && o.epochs == nil { o.epochs = 1 }
    o.batch = try call.int("batch", default: 64, in: 1...100_000)
    o.seq = try call.int("seq", default: 256, in: 1...1_000_000)
    o.coef = try call.int("coef", default: 1000, in: 1...Int.max)
    o.lr = Float(try call.double("lr", default: 1e-3) { $0 > 0 && $0.isFinite ? nil : "must be > 0" })
    o.weightDecay = Float(try call.double("weight_decay", default: 1e-4) { $0 >= 0 && $0.isFinite ? nil : "must be >= 0" })
    o.smoothing = Float(try call.double("smoothing", default: 0) { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" })
    let average = try call.optionalDouble("average") { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1) (0: none)" }
    o.average = average.flatMap { $0 > 0 ? Float($0) : nil }
    func rate(_ label: String) throws -> Float {
      Float(try call.double(label, default: 0) { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" })
    }
    o.dropoutOut = try rate("dropout_out")
    o.dropoutIn = try rate("dropout_in")
    o.weightDrop = try rate("weight_drop")
    o.wCls = Float(try call.double("w_cls", default: 1) { $0 >= 0 && $0.isFinite ? nil : "must be >= 0" })
    o.wOff = Float(try call.double("w_off", default: 10) { $0 >= 0 && $0.isFinite ? nil : "must be >= 0" })
    o.clip = Float(try call.double("clip", default: 10) { $0 >= 0 && $0.isFinite ? nil : "must be >= 0" })
    o.threads = try call.optionalInt("threads", in: 1...256) ?? env.threads ?? 2
    o.patience = try call.optionalInt("patience", in: 1...1_000_000)
    o.evalEvery = try call.optionalInt("eval_every", in: 1...Int.max)
    o.lrDecay = try call.optionalDouble("lr_decay") { $0 > 0 && $0 < 1 ? nil : "must be in (0, 1)" }.map(Float.init)
    o.lrPatience = try call.int("lr_patience", default: 2, in: 1...1_000_000)
    let transpose = try call.int("transpose", default: 0, in: 0...11)
    let keep = try call.string("keep", default: "best")
    guard let k = TrainOptions.Keep(rawValue: keep) else {
      throw Diagnostic("keep must be \"best\" or \"last\"", at: call.labelled["keep"]?.range ?? call.range)
    }
    o.keep = k
    let recordedValid = existing.flatMap { $0.net.metadata[ModelObject.validKey] }.flatMap(Double.init)
    let recordedSeed = existing.flatMap { $0.net.metadata[ModelObject.splitSeedKey] }.flatMap(UInt64.init)
    o.valid = try call.double("valid", default: recordedValid ?? 0.1) { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" }
    if existing != nil, !call.has("seed"), let s = recordedSeed {
      o.seed = s
    } else {
      o.seed = try call.seed()
    }

    let model: ModelObject
    if let existing {
      model = existing
    } else {
      var config = GRUConfig(vocabSize: ds.dataset.vocab.count)
      config.hidden = try call.int("hidden", default: 256, in: 1...8192)
      config.layers = try call.int("layers", default: 2, in: 1...64)
      config.dropout = Float(try call.double("dropout", default: 0.2) { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" })
      try TrainLimits.check(config, o, songs: ds.dataset.songs.count, call: call)
      let net = GRUNet(config: config, vocab: ds.dataset.vocab.tokens, seed: o.seed)
      if let json = String(data: try JSONEncoder().encode(ds.dataset.options), encoding: .utf8) {
        net.metadata[ModelObject.encodingKey] = json
      }
      model = try ModelObject(net, showTiming: env.timing)
    }
    model.net.metadata[ModelObject.validKey] = Value.format(o.valid)
    model.net.metadata[ModelObject.splitSeedKey] = String(o.seed)
    model.net.metadata["dataset"] = ds.path

    if existing != nil { try TrainLimits.check(model.net.config, o, songs: ds.dataset.songs.count, call: call) }
    let data = try sequences(ds, vocabulary: model.vocabulary, call: call, datasetIndex: datasetIndex)
    o.transpositions = transpositionMaps(model.vocabulary, upTo: transpose)
    let summary = try Trainer.train(model.net, on: data, options: o) { p in
      env.progress(ProgressReport(task: "train", step: p.step, total: p.totalSteps, loss: p.loss,
                                  tokensPerSecond: p.tokensPerSecond))
      return !env.isCancelled()
    }
    for cut in summary.lrCuts {
      call.interpreter.emit("learning rate lowered to \(Value.format(Double(cut.lr))) at step \(Format.grouped(cut.step))")
    }
    if summary.stoppedEarly {
      call.interpreter.emit("stopped early at step \(model.net.history.train.last?.step ?? 0): "
        + "\(o.patience ?? 0) evaluations without a lower validation loss")
    }
    if summary.cancelled {
      // `x = train(...)` still binds the model; the cell ends here with a located `interrupted` error.
      throw Interrupted(partial: .object(model),
                        note: "training stopped after \(summary.steps) steps; the model keeps the weights reached")
    }
    return .object(model)
  }

  /// Id maps moving every token by -n…-1 and 1…n semitones (-1 where the moved token is not in the
  /// vocabulary, or cannot be moved; `<PAD>` stays).
  static func transpositionMaps(_ vocabulary: Vocabulary, upTo n: Int) -> [[Int]] {
    guard n > 0 else { return [] }
    let tokens = vocabulary.tokens
    var index: [String: Int] = [:]
    for (i, t) in tokens.enumerated() { index[t] = i }
    return (-n...n).filter { $0 != 0 }.map { k in
      tokens.enumerated().map { i, t in
        i == 0 ? 0 : ((try? MelodyObject.transpose(token: t, by: k)).flatMap { index[$0] } ?? -1)
      }
    }
  }

  /// The dataset's songs as id sequences in `vocabulary`; a token the vocabulary lacks is an error at the
  /// dataset argument, or is skipped or mapped as `unknown:` says (the output says how many).
  static func sequences(_ ds: DatasetObject, vocabulary: Vocabulary, call: Call, datasetIndex: Int) throws
    -> [TokenSequence]
  {
    let policy = try UnknownOption.policy(call)
    var out: [TokenSequence] = []
    out.reserveCapacity(ds.dataset.songs.count)
    var total = EncodedTokens(ids: [], offsets: [], mapped: 0, skipped: 0, unknown: [])
    for song in ds.dataset.songs {
      do {
        let e = try vocabulary.encode(song.tokens, offsets: song.offsets, unknown: policy)
        total.mapped += e.mapped; total.skipped += e.skipped
        for t in e.unknown where !total.unknown.contains(t) { total.unknown.append(t) }
        if !e.ids.isEmpty { out.append(TokenSequence(ids: e.ids, offsets: e.offsets.map { Float($0) })) }
      } catch {
        throw Diagnostic("song '\(song.name)': \(error) (the model's vocabulary lacks it; "
                           + "unknown: \"skip\" or \"nearest\" goes on)", at: call.positional[datasetIndex].range)
      }
    }
    UnknownOption.report(total, call: call, what: "dataset")
    return out
  }
}
