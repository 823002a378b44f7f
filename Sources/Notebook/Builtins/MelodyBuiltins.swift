import Melody

/// `song`, `take`, `drop`, `transpose`, `random_notes`, `vocab`: melodies and vocabularies; `a + b` joins.
enum MelodyBuiltins {
  static var song: Builtin {
    Builtin(
      "song", usage: "song(dataset, index | name)",
      summary: "one song of a dataset as a melody, by index or by name",
      details: ["index: 0-based; name: the file name without its extension (songs.names lists them)"]
    ) { call in
      try call.allowPositional(2)
      let ds = try call.object(0, DatasetObject.self, "a dataset")
      let which = try call.argument(1, "an index or a song name")
      switch which.value {
      case .string(let name):
        let names = ds.dataset.songs.map(\.name)
        guard let i = names.firstIndex(of: name) else {
          var message = "no song named '\(name)' in the dataset"
          if let near = DidYouMean.suggest(name, among: names) { message += " (did you mean '\(near)'?)" }
          throw Diagnostic(message, at: which.range)
        }
        return .object(try ds.melody(i))
      default:
        let i = try Call.integer(which.value, "the song index", which.range)
        guard i >= 0 && i < ds.count else {
          throw Diagnostic("song index \(i) is out of bounds 0..<\(ds.count)", at: which.range)
        }
        return .object(try ds.melody(i))
      }
    }
  }

  static var take: Builtin {
    Builtin(
      "take", usage: "take(melody, n)",
      summary: "the first n events of a melody (all of it when it is shorter)"
    ) { call in
      let (m, n) = try melodyAndCount(call)
      return .object(try m.sliced(0, n))
    }
  }

  static var drop: Builtin {
    Builtin(
      "drop", usage: "drop(melody, n)",
      summary: "a melody without its first n events (the rest starts at 0)",
      details: ["empty when n is at least the melody's length"]
    ) { call in
      let (m, n) = try melodyAndCount(call)
      return .object(try m.sliced(n, m.count))
    }
  }

  static var transpose: Builtin {
    Builtin(
      "transpose", usage: "transpose(melody, semitones)",
      summary: "a melody moved up (or down, negative) by semitones",
      details: ["tokens are re-spelled as the encoding spells them (C#4, E-4); chords of",
                "pitch classes move their classes and stay in normal order (0.4.7 up 2 is",
                "2.6.9); a note leaving the MIDI range 0...127 is an error"]
    ) { call in
      try call.allowPositional(2)
      let m = try call.object(0, MelodyObject.self, "a melody")
      let a = try call.argument(1, "a number of semitones")
      let k = try Call.integer(a.value, "semitones", a.range)
      do {
        return .object(try m.transposed(by: k))
      } catch {
        throw Diagnostic("transpose() by \(k): \(error)", at: a.range)
      }
    }
  }

  /// `a + b` on melodies: b follows a (see `MelodyObject.joined`).
  static func join(_ a: MelodyObject, _ b: MelodyObject) -> Value {
    .object(a.joined(with: b))
  }

  /// The melody and the count of `take`/`drop`, clamped to the melody's length.
  static func melodyAndCount(_ call: Call) throws -> (MelodyObject, Int) {
    try call.allowPositional(2)
    let m = try call.object(0, MelodyObject.self, "a melody")
    let a = try call.argument(1, "a number of events")
    let n = try Call.integer(a.value, "the number of events", a.range)
    guard n >= 0 else {
      throw Diagnostic("\(call.name)() needs a number of events >= 0, got \(n)", at: a.range)
    }
    return (m, Swift.min(n, m.count))
  }

  static var randomNotes: Builtin {
    Builtin(
      "random_notes", usage: "random_notes(vocab | model | dataset, n, seed: ..., offset: 0.5)",
      summary: "n random tokens of a vocabulary (never <PAD>)",
      details: ["drawn uniformly; one every `offset` quarters (default 0.5)",
                "seed: default: the next seed of the global stream (see seed(n))"],
      labels: ["seed", "offset"]
    ) { call in
      try call.allowPositional(2)
      let vocab = try vocabulary(call, 0)
      let a = try call.argument(1, "a number of notes")
      let n = try Call.integer(a.value, "the number of notes", a.range)
      guard n >= 1 && n <= 1_000_000 else {
        throw Diagnostic("random_notes() needs 1 <= n <= 1000000, got \(n)", at: a.range)
      }
      let step = try call.double("offset", default: 0.5) { $0 >= 0 && $0.isFinite ? nil : "must be >= 0" }
      guard vocab.count > 1 else { throw call.error("the vocabulary has no tokens besides <PAD>") }
      var rng = NotebookRandom(seed: try call.seed())
      let tokens = (0..<n).map { _ in vocab.tokens[1 + rng.int(below: vocab.count - 1)] }
      let offsets = (0..<n).map { $0 == 0 ? 0 : step }
      return .object(try MelodyObject(name: "random notes", tokens: tokens, offsets: offsets))
    }
  }

  static var vocab: Builtin {
    Builtin(
      "vocab", usage: "vocab(dataset | model)", summary: "the vocabulary of a dataset or model (<PAD> first)"
    ) { call in
      try call.allowPositional(1)
      return .object(VocabObject(try vocabulary(call, 0)))
    }
  }

  /// The vocabulary of positional argument `i`: a vocabulary, a dataset or a model.
  static func vocabulary(_ call: Call, _ i: Int) throws -> Vocabulary {
    let a = try call.argument(i, "a vocabulary, model or dataset")
    if case .object(let o) = a.value {
      if let v = o as? VocabObject { return v.vocab }
      if let d = o as? DatasetObject { return d.dataset.vocab }
      if let m = o as? ModelObject { return m.vocabulary }
    }
    throw Diagnostic("\(call.name)() expects a vocabulary, model or dataset as argument \(i + 1), got "
                       + a.value.aTypeName, at: a.range)
  }
}
