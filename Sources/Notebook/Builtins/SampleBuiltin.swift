import Melody
import NN

/// `sample(model, ...)` and `evaluate(model, dataset)`.
enum SampleBuiltin {
  static var sample: Builtin {
    Builtin(
      "sample",
      usage: "sample(model, length: 128, top_p: 0.6, temperature: 1, seed: …, prime: melody,\n"
        + "       offsets: \"generated\", count: 1, unknown: \"error\", exact: false)",
      summary: "generates a melody (or a list of count melodies) from a model",
      details: [
        "length: events to generate; temperature: > 0",
        "top_p: nucleus mass in [0, 1] (0 = greedy)",
        "prime: a melody run through the model first; the result is the prime",
        "  followed by its continuation (without prime the first event is a",
        "  random token, as the original)",
        "offsets: \"generated\" (the model's), \"constant\" (0.5 quarters), or a number",
        "seed: default: the next seed of the global stream (see seed(n))",
        UnknownOption.help + " (of the prime)",
        "exact: true samples with the float32 weights (PyTorch's numbers, slower);",
        "  by default binary16 copies of the weights are used (offsets within ~4e-4)",
      ],
      labels: ["length", "top_p", "temperature", "seed", "prime", "offsets", "count", "unknown", "exact"]
    ) { call in try run(call) }
  }

  static func run(_ call: Call) throws -> Value {
    try call.allowPositional(1)
    let model = try call.object(0, ModelObject.self, "a model")
    var o = SampleOptions()
    o.length = try call.int("length", default: 128, in: 1...1_000_000)
    o.topP = Float(try call.double("top_p", default: 0.6) { $0 >= 0 && $0 <= 1 ? nil : "must be between 0 and 1" })
    o.temperature = Float(try call.double("temperature", default: 1) { $0 > 0 && $0.isFinite ? nil : "must be > 0" })
    o.count = try call.int("count", default: 1, in: 1...1024)
    if let a = call.labelled["offsets"] {
      switch a.value {
      case .string("generated"): break
      case .string("constant"): o.constantOffset = Float(MelodyObject.defaultNoteLength)
      case .int, .float:
        let x = try Call.number(a.value, "offsets", a.range)
        guard x >= 0 && x.isFinite else { throw Diagnostic("offsets must be >= 0, got \(Value.format(x))", at: a.range) }
        o.constantOffset = Float(x)
      default:
        throw Diagnostic("offsets must be \"generated\", \"constant\" or a number, got \(a.value.display)", at: a.range)
      }
    }
    var prime: MelodyObject? = nil
    if let a = call.labelled["prime"] {
      guard case .object(let p) = a.value, let m = p as? MelodyObject else {
        throw Diagnostic("prime must be a melody, got \(a.value.aTypeName)", at: a.range)
      }
      guard m.count > 0 else { throw Diagnostic("the prime melody is empty", at: a.range) }
      let policy = try UnknownOption.policy(call)
      do {
        let e = try model.vocabulary.encode(m.tokens, offsets: m.offsets, unknown: policy)
        guard !e.ids.isEmpty else { throw Diagnostic("prime: no token of the prime is in the model's vocabulary", at: a.range) }
        o.prime = TokenSequence(ids: e.ids, offsets: e.offsets.map { Float($0) })
        UnknownOption.report(e, call: call, what: "prime")
      } catch let d as Diagnostic {
        throw d
      } catch {
        throw Diagnostic("prime: \(error) (the model's vocabulary lacks it; unknown: \"skip\" or \"nearest\" goes on)",
                         at: a.range)
      }
      prime = m
    }
    o.seed = try call.seed()
    // The melodies returned (events and notes, about 128 bytes an event) beside the sampler's own buffers.
    do {
      try MemoryBudget.check(MemoryBudget.Size.of([o.count, o.length, 128]) + MemoryBudget.sampling(
        model.net.config, length: o.length, count: o.count), for: "sampling \(o.count) melod\(o.count == 1 ? "y" : "ies") of \(o.length) events")
    } catch {
      throw Diagnostic("\(error)", at: call.labelled["count"]?.range ?? call.labelled["length"]?.range ?? call.range)
    }
    let env = call.interpreter.environment
    env.progress(ProgressReport(task: "sample", step: 0, total: o.length))
    let savedThreads = Parallel.threads
    if let t = env.threads { Parallel.threads = t }
    defer { Parallel.threads = savedThreads }
    let exact = try call.bool("exact", default: false)
    let generated: [TokenSequence]
    do {
      if exact {
        try call.interpreter.checkInterrupt()
        generated = try ExactSampler.sample(model.net, options: o)
      } else {
        generated = try Sampler.sample(model.net, options: o) { done, total in
          env.progress(ProgressReport(task: "sample", step: done, total: total))
          return !env.isCancelled()
        }
      }
    } catch let stop as SamplingStopped {
      throw Interrupted(note: "sampling stopped after \(stop.steps) of \(stop.total) steps")
    }
    env.progress(ProgressReport(task: "sample", step: o.length, total: o.length))
    let melodies = try generated.enumerated().map { b, seq -> Value in
      let tokens = try seq.ids.map { try model.vocabulary.token(id: $0) }
      let name = o.count > 1 ? "sample \(b + 1)" : "sample"
      let events = zip(tokens, seq.offsets).map {
        Event(token: $0, offset: Double($1), duration: MelodyObject.defaultNoteLength, velocity: 90)
      }
      let tempo = prime?.tempo ?? 120
      return .object(try MelodyObject(name: name, events: (prime?.events ?? []) + events, tempo: tempo))
    }
    return o.count == 1 ? melodies[0] : .list(melodies)
  }

  static var evaluate: Builtin {
    Builtin(
      "evaluate", usage: "evaluate(model, dataset, seq: 256, unknown: \"error\")",
      summary: "token cross-entropy, accuracy, offset error vs a bigram baseline",
      details: [
        "cross-entropy: mean -ln p(next token) in nats over every event of the",
        "  whole validation songs (windows of seq events, state reset per window);",
        "  not the history's valid loss, which is the training objective",
        "  (cross-entropy + w_off × SmoothL1 of offsets) on fixed windows.",
        "offset error: mean |predicted - true| offset in quarters.",
        "Uses the validation split of the model's training as recorded (valid",
        "fraction and split seed); the bigram baseline (add-one smoothed) is built",
        "from the training split. A model without a recorded split (or trained",
        "on too few songs to hold any out) is evaluated on the whole dataset,",
        "with the baseline built from it too.",
        UnknownOption.help,
      ],
      labels: ["seq", "unknown"]
    ) { call in
      try call.allowPositional(2)
      let model = try call.object(0, ModelObject.self, "a model")
      let ds = try call.object(1, DatasetObject.self, "a dataset")
      let seq = try call.int("seq", default: 256, in: 1...1_000_000)
      let data = try TrainBuiltin.sequences(ds, vocabulary: model.vocabulary, call: call, datasetIndex: 1)
      var train = data, valid = data
      var splitNote = "all \(data.count) songs (no recorded split)"
      if let v = model.net.metadata[ModelObject.validKey].flatMap(Double.init),
         let s = model.net.metadata[ModelObject.splitSeedKey].flatMap(UInt64.init), v > 0 {
        let (t, held) = Trainer.split(data, valid: v, seed: s)
        if held.isEmpty {
          splitNote = "the training songs (\(data.count), too few to hold any out)"
        } else {
          (train, valid) = (t, held)
          splitNote = Format.plural(valid.count, "validation song")
        }
      }
      guard !valid.isEmpty else { throw call.error("no validation songs to evaluate on") }
      try Evaluator.check(model.net, on: valid, seq: seq)
      let env = call.interpreter.environment
      guard let m = Evaluator.evaluate(model.net, on: valid, seq: seq, onBatch: { done, total in
        env.progress(ProgressReport(task: "evaluate", step: done, total: total))
        return !env.isCancelled()
      }) else { throw Interrupted(note: "evaluation stopped") }
      let b = Evaluator.bigram(train: train, vocabSize: model.net.config.vocabSize, on: valid)
      func row(_ name: String, _ e: Evaluation) -> String {
        name.padding(toLength: 17, withPad: " ", startingAt: 0)
          + Format.fixed(e.crossEntropy, 4).leftPad(16) + (Format.fixed(e.accuracy * 100, 2) + "%").leftPad(10)
          + Format.fixed(e.offsetMAE, 4).leftPad(14)
      }
      let ratio = b.crossEntropy > 0 ? " (model / bigram: \(Format.fixed(m.crossEntropy / b.crossEntropy, 2)))" : ""
      let text = "evaluation on \(splitNote) (\(Format.grouped(m.tokens)) predicted events):\n"
        + String(repeating: " ", count: 17) + "token CE (nats)".leftPad(16) + "accuracy".leftPad(10)
        + "offset error".leftPad(14) + "\n" + row("  model", m) + "\n" + row("  bigram baseline", b)
        + "\ntoken cross-entropy over whole songs\(ratio); the training history's valid loss is"
        + "\nthe objective (cross-entropy + w_off × SmoothL1 of offsets) on fixed windows"
      return .object(Record("evaluation", [
        ("cross_entropy", .float(m.crossEntropy)), ("accuracy", .float(m.accuracy)),
        ("offset_error", .float(m.offsetMAE)), ("baseline_cross_entropy", .float(b.crossEntropy)),
        ("baseline_accuracy", .float(b.accuracy)), ("baseline_offset_error", .float(b.offsetMAE)),
        ("songs", .int(valid.count)), ("events", .int(m.tokens)),
      ], display: text))
    }
  }
}

extension String {
  func leftPad(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
