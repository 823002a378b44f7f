import Foundation
import Testing
import Melody
@testable import Notebook

/// The library-backed built-ins on a tiny generated dataset and tiny models (hidden 8, a few steps).
@Suite struct BuiltinTests {
  /// A temp folder with songs/, and an interpreter whose relative paths resolve there.
  func setUp(_ name: String = #function) throws -> (String, Interpreter) {
    let dir = try TestSupport.tempFolder(name)
    try TestSupport.writeSongs(into: dir)
    return (dir, TestSupport.interpreter(base: dir))
  }

  @Test func loadSongTakeDrop() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, """
      songs = load("songs")
      songs
      songs.count
      s = song(songs, "song1")
      s.count
      take(s, 3).tokens
      drop(s, 26).count
      drop(s, 26).offsets[0]
      song(songs, 0).tokens[0..<2]
      """)
    #expect(out == """
      dataset songs: 4 songs, 120 events, vocabulary 12 tokens (chords normal, quantize 12)
      4
      28
      ["D4", "E4", "F4"]
      2
      0.0
      ["C4", "D4"]
      """)
  }

  @Test(arguments: [
    ("song(songs, 9)", "1:13", "song index 9 is out of bounds 0..<4"),
    ("song(songs, \"sng1\")", "1:13", "no song named 'sng1' in the dataset (did you mean 'song1'?)"),
    ("take(song(songs, 0), -1)", "1:22", "take() needs a number of events >= 0, got -1"),
    ("take(songs, 1)", "1:6", "take() expects a melody as argument 1, got a dataset"),
    ("load(\"nothing/here\")", "1:6", "nothing/here"),
    ("load(\"songs\", quantize: 0)", "1:25", "quantize must be between 1 and 960, got 0"),
    ("load(\"songs\", chords: \"nrmal\")", "1:23", "chords must be \"normal\""),
    ("load(\"songs\", limt: 2)", "1:15", "load() has no argument 'limt' (did you mean 'limit'?)"),
    ("open(\"missing.mid\")", "1:6", "no such file 'missing.mid'"),
    ("open(\"songs\")", "1:6", "'songs' is a folder"),
    ("save(1, \"x.mid\")", "1:6", "save() cannot write an integer"),
    ("save(song(songs, 0), \"x.mp3\")", "1:22", "a melody is saved as .mid, .midi, .json, .wav"),
    ("random_notes(songs, 0)", "1:21", "random_notes() needs 1 <= n <= 1000000"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    _ = i.run("songs = load(\"songs\")")
    let r = i.run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  @Test func randomNotesFollowTheGlobalSeed() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let a = TestSupport.run(i, "songs = load(\"songs\")\nseed(4321)\nrandom_notes(songs, 6).tokens\nrandom_notes(songs, 6).tokens")
    let b = TestSupport.run(i, "seed(4321)\nrandom_notes(songs, 6).tokens\nrandom_notes(songs, 6).tokens")
    #expect(a == b)
    let lines = a.split(separator: "\n")
    #expect(lines.count == 2 && lines[0] != lines[1])
    #expect(!a.contains("<PAD>"))
    #expect(TestSupport.run(i, "random_notes(songs, 4, seed: 7).tokens") ==
            TestSupport.run(i, "random_notes(vocab(songs), 4, seed: 7).tokens"))
  }

  @Test func trainSampleSaveOpenEvaluate() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let train = TestSupport.run(i, """
      songs = load("songs")
      seed(1)
      model = train(songs, hidden: 8, layers: 1, steps: 5, batch: 2, seq: 16, valid: 0.25)
      model.steps
      model.hidden
      model.history.train.count
      """)
    #expect(train.hasSuffix("5\n8\n5"), "\(train)")
    // Same seed, same melody; the result has the requested length.
    let a = TestSupport.run(i, "sample(model, length: 12, seed: 3).tokens")
    #expect(a == TestSupport.run(i, "sample(model, length: 12, seed: 3).tokens"))
    #expect(TestSupport.run(i, "sample(model, length: 12, seed: 3).count") == "12")
    // Greedy with a prime: the prime comes first; constant offsets.
    let primed = TestSupport.run(i, """
      p = take(song(songs, 0), 5)
      c = sample(model, prime: p, length: 4, top_p: 0, offsets: 0.25)
      c.count
      take(c, 5).tokens
      p.tokens
      """)
    let lines = primed.split(separator: "\n")
    #expect(lines.count == 3 && lines[0] == "9" && lines[1] == lines[2], "\(primed)")
    #expect(TestSupport.run(i, "drop(c, 6).offsets") == "[0.0, 0.25, 0.25]")
    // Several at once.
    #expect(TestSupport.run(i, "sample(model, count: 3, length: 4).count") == "3")
    // Files: MIDI, JSON and checkpoint round trips; WAV and SVG written.
    let saved = TestSupport.run(i, """
      save(c, "out/c.mid")
      save(c, "out/c.json")
      save(c, "out/c.wav")
      save(model, "out/m.safetensors")
      save(plot(c), "out/c.svg")
      save(songs, "out/songs.jsonl")
      """)
    #expect(saved == "saved: out/c.mid\nsaved: out/c.json\nsaved: out/c.wav\nsaved: out/m.safetensors\n"
      + "saved: out/c.svg\nsaved: out/songs.jsonl")
    #expect(TestSupport.run(i, "open(\"out/c.json\").tokens") == TestSupport.run(i, "c.tokens"))
    #expect(TestSupport.run(i, "open(\"out/c.mid\").tokens") == TestSupport.run(i, "c.tokens"))
    #expect(TestSupport.run(i, "m2 = open(\"out/m.safetensors\")\nsample(m2, length: 12, seed: 3).tokens") == a)
    let wav = try #require(FileManager.default.contents(atPath: dir + "/out/c.wav"))
    #expect(wav.count > 44 && String(decoding: wav.prefix(4), as: UTF8.self) == "RIFF")
    let svg = try String(contentsOfFile: dir + "/out/c.svg", encoding: .utf8)
    #expect(svg.contains("<svg"))
    let jsonl = try String(contentsOfFile: dir + "/out/songs.jsonl", encoding: .utf8)
    #expect(jsonl.split(separator: "\n").count == 4)
    // Evaluation beside the bigram baseline, on the recorded validation split (1 of 4 songs).
    let ev = TestSupport.run(i, "e = evaluate(model, songs)\ne\ne.songs")
    #expect(ev.hasPrefix("evaluation on 1 validation song ("), "\(ev)")
    #expect(ev.contains("  bigram baseline"))
    #expect(ev.hasSuffix("\n1"))
    // Continue training: steps add up; the architecture cannot change.
    #expect(TestSupport.run(i, "train(model, songs, steps: 2).steps") == "7")
    #expect(TestSupport.run(i, "train(model, songs, steps: 1, hidden: 4)").contains(
      "error 1:39: hidden can only be set for a new model"))
  }

  @Test(arguments: [
    ("sample(model, top_p: 1.5)", "1:22", "top_p must be between 0 and 1, got 1.5"),
    ("sample(model, temperature: 0)", "1:28", "temperature must be > 0, got 0.0"),
    ("sample(model, top_q: 0.5)", "1:15", "sample() has no argument 'top_q' (did you mean 'top_p'?)"),
    ("sample(model, offsets: \"random\")", "1:24", "offsets must be \"generated\", \"constant\" or a number"),
    ("sample(model, length: 0)", "1:23", "length must be between 1 and"),
    ("sample(songs)", "1:8", "sample() expects a model as argument 1, got a dataset"),
    ("sample(model, prime: 3)", "1:22", "prime must be a melody, got an integer"),
    ("train(songs, steps: 2, epochs: 1)", "1:21", "give epochs: or steps:, not both"),
    ("train(songs, lr: -1)", "1:18", "lr must be > 0"),
    ("train(songs, valid: 1)", "1:21", "valid must be in [0, 1)"),
    ("train(songs, dropout: 1.0)", "1:23", "dropout must be in [0, 1)"),
    ("evaluate(model)", "1:1", "evaluate() needs a dataset as argument 2"),
    ("plot(3)", "1:6", "plot() draws a model, melody or dataset, got an integer"),
  ])
  func modelErrorsAreLocated(source: String, at: String, message: String) throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    _ = i.run("songs = load(\"songs\")\nmodel = train(songs, hidden: 8, layers: 1, steps: 1, batch: 2, seq: 8)")
    let r = i.run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  @Test func evaluateAModelTrainedOnOneSong() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, """
      one = load("songs/song2.mid")
      m = train(one, hidden: 8, layers: 1, steps: 2, batch: 2, seq: 8)
      evaluate(m, one).songs
      """)
    #expect(out == "1")
    #expect(TestSupport.run(i, "evaluate(m, one)").hasPrefix(
      "evaluation on the training songs (1, too few to hold any out) (31 predicted events):"))
  }

  @Test func plotsAreText() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, """
      songs = load("songs")
      plot(take(song(songs, 0), 8))
      plot(songs)
      model = train(songs, hidden: 8, layers: 1, steps: 3, batch: 2, seq: 8)
      plot(model)
      """)
    #expect(out.contains("C4"))
    #expect(out.contains("most common tokens"))
    #expect(out.contains("step"))
    for line in out.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
  }

  @Test func interruptStopsTrainingAndKeepsTheModel() throws {
    let (dir, _) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let flag = Flag()
    var env = ExecutionEnvironment(baseDirectory: dir)
    env.progress = { r in if r.task == "train" && r.step == 2 { flag.set() } }
    env.isCancelled = { flag.value }
    let i = Interpreter(environment: env, builtins: StandardLibrary().builtins)
    let out = TestSupport.run(i, "songs = load(\"songs\")\nm = train(songs, hidden: 8, layers: 1, steps: 50, batch: 2, seq: 8)\nm.steps")
    // The rest of the cell does not run: it ends with a located error; the model is bound with its weights.
    #expect(out == "error 2:1: interrupted: training stopped after 2 steps; the model keeps the weights reached")
    flag.value = false
    #expect(TestSupport.run(i, "m.steps") == "2")
  }
}

final class Flag: @unchecked Sendable {
  var value = false
  func set() { value = true }
}

@Suite struct TrainTransposeTests {
  @Test func transpositionMapsMoveNotesAndChords() throws {
    let v = try Vocabulary(tokens: ["<PAD>", "C4", "C#4", "D4", "0.4.7", "1.5.8"])
    let maps = TrainBuiltin.transpositionMaps(v, upTo: 1)
    #expect(maps.count == 2)
    // -1 semitone: C4 -> B3 (absent), C#4 -> C4, D4 -> C#4, 0.4.7 -> 11.3.6 (absent), 1.5.8 -> 0.4.7.
    #expect(maps[0] == [0, -1, 1, 2, -1, 4])
    // +1: C4 -> C#4, C#4 -> D4, D4 -> E-4 (absent), 0.4.7 -> 1.5.8, 1.5.8 -> 2.6.9 (absent).
    #expect(maps[1] == [0, 2, 3, -1, 5, -1])
    #expect(TrainBuiltin.transpositionMaps(v, upTo: 0).isEmpty)
  }

  @Test func trainTakesTranspose() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let i = TestSupport.interpreter(base: dir)
    let ok = i.run("s = load(\"songs\")\nm = train(s, hidden: 8, layers: 1, steps: 3, batch: 2, seq: 8, transpose: 2)")
    #expect(ok.error == nil)
    let bad = i.run("train(s, hidden: 8, steps: 1, transpose: 12)")
    #expect(bad.error?.message.contains("transpose") == true)
    #expect(bad.error?.range.start.column == 42)
  }

  @Test func trainTakesDropoutsAndAverage() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let i = TestSupport.interpreter(base: dir)
    let args = "hidden: 8, layers: 1, steps: 4, batch: 2, seq: 8, seed: 3, valid: 0.5, eval_every: 2"
    let ok = i.run("""
      s = load("songs")
      a = train(s, \(args), dropout_out: 0.3, average: 0.9)
      b = train(s, \(args))
      c = train(s, \(args), average: 0)
      d = train(s, \(args), dropout_in: 0.3)
      e = train(s, \(args), weight_drop: 0.3)
      print(a.valid_loss != b.valid_loss, b.valid_loss == c.valid_loss, d.valid_loss != b.valid_loss,
            e.valid_loss != b.valid_loss, e.valid_loss != d.valid_loss)
      """)
    #expect(ok.error == nil)
    #expect(ok.output.contains("true true true true true"))
    for (call, column) in [("train(s, hidden: 8, steps: 1, dropout_out: 1)", 44),
                           ("train(s, hidden: 8, steps: 1, dropout_in: 1.5)", 43),
                           ("train(s, hidden: 8, steps: 1, weight_drop: 1)", 44),
                           ("train(s, hidden: 8, steps: 1, average: -0.5)", 40)] {
      let bad = i.run(call)
      #expect(bad.error?.message.contains("must be in") == true, "\(call)")
      #expect(bad.error?.range.start.column == column, "\(call)")
    }
  }
}
