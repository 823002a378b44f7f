import Melody
import NN

/// `stats(melodies, dataset, model: m, n: 8)`: music statistics of melodies against training songs,
/// with the held-out songs measured the same way as the reference.
enum StatsBuiltin {
  static var builtin: Builtin {
    Builtin(
      "stats", usage: "stats(melodies, dataset, model: m, n: 8, valid: 0.1, seed: 0)",
      summary: "music statistics of melodies beside held-out and training songs",
      details: [
        "melodies: a melody or a list of melodies (e.g. sample(..., count: 8))",
        "model: take the training / held-out split of this model's training (as",
        "  evaluate() does); without it, valid and seed make the split",
        "distances (total variation: 0 = the training songs' histogram, 1 = disjoint):",
        "  pitch classes (every pitch), intervals (semitones between the highest",
        "  pitches of consecutive events, clamped to ±13), offsets (1/12 quarter grid)",
        "note repeat: consecutive events with the same token",
        "n-gram copy: token n-grams (n events) found verbatim in a training song",
        "The held-out songs, measured the same way, show what real music scores.",
      ],
      labels: ["model", "n", "valid", "seed"]
    ) { call in try run(call) }
  }

  static func run(_ call: Call) throws -> Value {
    try call.allowPositional(2)
    let first = try call.argument(0, "a melody or a list of melodies")
    var melodies: [MelodyObject] = []
    switch first.value {
    case .object(let o as MelodyObject): melodies = [o]
    case .list(let items):
      for item in items {
        guard case .object(let o as MelodyObject) = item else {
          throw Diagnostic("stats() needs melodies, the list holds \(item.aTypeName)", at: first.range)
        }
        melodies.append(o)
      }
    default:
      throw Diagnostic("stats() needs a melody or a list of melodies, got \(first.value.aTypeName)", at: first.range)
    }
    guard !melodies.isEmpty else { throw Diagnostic("stats() needs at least one melody", at: first.range) }
    let ds = try call.object(1, DatasetObject.self, "a dataset")
    let n = try call.int("n", default: 8, in: 1...64)
    var valid = try call.double("valid", default: 0.1) { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" }
    var seed = UInt64(try call.int("seed", default: 0, in: 0...Int.max))
    if let m = call.labelled["model"] {
      guard case .object(let o as ModelObject) = m.value else {
        throw Diagnostic("model: must be a model, got \(m.value.aTypeName)", at: m.range)
      }
      guard let v = o.net.metadata[ModelObject.validKey].flatMap(Double.init),
        let s = o.net.metadata[ModelObject.splitSeedKey].flatMap(UInt64.init)
      else { throw Diagnostic("this model has no recorded training split", at: m.range) }
      (valid, seed) = (v, s)
    }
    let songs = ds.dataset.songs
    let (trainIdx, heldIdx) = Trainer.splitIndices(count: songs.count, valid: valid, seed: seed)
    func piece(_ s: Song) -> MusicStats.Piece { MusicStats.Piece(tokens: s.tokens, offsets: s.offsets) }
    let reference = MusicStats.Reference(training: trainIdx.map { piece(songs[$0]) }, n: n)
    let sampled = MusicStats.measure(melodies.map { MusicStats.Piece(tokens: $0.tokens, offsets: $0.offsets) },
                                     against: reference)
    let held = heldIdx.isEmpty ? nil : MusicStats.measure(heldIdx.map { piece(songs[$0]) }, against: reference)

    func pct(_ x: Double) -> String { Format.fixed(x * 100, 1) + "%" }
    func row(_ name: String, _ a: String, _ b: String?) -> String {
      "  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + a.leftPad(10) + (b ?? "-").leftPad(16)
    }
    var lines = ["music statistics against \(Format.plural(reference.songs, "training song"))"
      + " (distances: 0 = same histogram, 1 = disjoint):"]
    lines.append(row("", "melodies", "held-out songs"))
    lines.append(row("pieces", Format.grouped(sampled.melodies), held.map { Format.grouped($0.melodies) }))
    lines.append(row("events", Format.grouped(sampled.events), held.map { Format.grouped($0.events) }))
    lines.append(row("pitch-class distance", Format.fixed(sampled.pitchClassDistance, 4),
                     held.map { Format.fixed($0.pitchClassDistance, 4) }))
    lines.append(row("interval distance", Format.fixed(sampled.intervalDistance, 4),
                     held.map { Format.fixed($0.intervalDistance, 4) }))
    lines.append(row("offset distance", Format.fixed(sampled.offsetDistance, 4),
                     held.map { Format.fixed($0.offsetDistance, 4) }))
    lines.append(row("note-repeat rate", pct(sampled.repeatRate), held.map { pct($0.repeatRate) }))
    lines.append(row("\(n)-gram copy rate", pct(sampled.copyRate), held.map { pct($0.copyRate) }))
    func fields(_ s: MusicStats?, _ prefix: String) -> [(String, Value)] {
      guard let s else { return [] }
      return [
        (prefix + "pitch_class_distance", .float(s.pitchClassDistance)),
        (prefix + "interval_distance", .float(s.intervalDistance)),
        (prefix + "offset_distance", .float(s.offsetDistance)),
        (prefix + "repeat_rate", .float(s.repeatRate)), (prefix + "copy_rate", .float(s.copyRate)),
      ]
    }
    return .object(Record("stats", fields(sampled, "") + fields(held, "heldout_") + [("n", .int(n))],
                          display: lines.joined(separator: "\n")))
  }
}
