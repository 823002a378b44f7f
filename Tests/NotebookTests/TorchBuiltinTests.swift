import Foundation
import Testing
@testable import Notebook

/// open() of the original's PyTorch files, sample(exact:, unknown:), evaluate/train(unknown:), events: and
/// melody JSON with only tokens and offsets, through the language.
@Suite struct TorchBuiltinTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

  func setUp(_ name: String = #function) throws -> (String, Interpreter) {
    let dir = try TestSupport.tempFolder(name)
    try TestSupport.writeSongs(into: dir)
    return (dir, TestSupport.interpreter(base: dir))
  }

  @Test func opensTheOriginalsCheckpointAndConverts() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, """
      m = open("\(Self.fixtures)/torch/ckpt_legacy.ch")
      m
      vocab(m).count
      save(m, "m.safetensors")
      n = open("m.safetensors")
      n.steps
      """)
    #expect(out.contains("model: GRU 2 layers × 12 hidden, dropout 0.1, vocabulary 21 tokens"), "\(out)")
    #expect(out.contains("trained 120 steps"), "\(out)")
    #expect(out.hasSuffix("21\nsaved: m.safetensors\n120"), "\(out)")
  }

  @Test func bareStateDictTakesAVocabulary() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let path = "\(Self.fixtures)/torch/state_zip.pth"
    let refused = TestSupport.run(i, "open(\"\(path)\")")
    #expect(refused.contains("a bare state_dict has no vocabulary"), "\(refused)")
    let ok = TestSupport.run(i, """
      v = vocab(open("\(Self.fixtures)/torch/ckpt_zip.pt"))
      m = open("\(path)", vocab: v)
      vocab(m).count
      """)
    #expect(ok == "21", "\(ok)")
  }

  @Test func hostileFileIsRefusedByName() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, "open(\"\(Self.fixtures)/torch/hostile_system.pt\")")
    #expect(out.contains("refused global 'posix.system'"), "\(out)")
    #expect(out.hasPrefix("error 1:6"), "\(out)")
  }

  @Test func exactSamplingAndUnknownTokensInThePrime() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let json = #"{"tokens": ["C4", "4.7", "E-4", "D9"], "offsets": [0, 0.5, 0.5, 1]}"#
    try json.write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
    let out = TestSupport.run(i, """
      m = open("\(Self.fixtures)/torch/ckpt_zip.pt")
      p = open("p.json")
      p.name
      a = sample(m, prime: p, length: 20, top_p: 0, unknown: "nearest", exact: true)
      b = sample(m, prime: p, length: 20, top_p: 0, unknown: "nearest")
      drop(a, 4).tokens
      drop(b, 4).tokens
      c = sample(m, prime: p, length: 5, top_p: 0, unknown: "skip", exact: true)
      c.count
      sample(m, prime: p, length: 5)
      """)
    #expect(out.contains("prime: 2 events with 2 unknown tokens mapped to the nearest vocabulary token (4.7, D9)"),
            "\(out)")
    #expect(out.contains("prime: 2 events with 2 unknown tokens skipped (4.7, D9)"), "\(out)")
    #expect(out.contains("\"p\"\n"), "\(out)")
    let lists = out.split(separator: "\n").filter { $0.hasPrefix("[") }
    #expect(lists.count == 2 && lists[0] == lists[1], "greedy tokens of exact and binary16 sampling: \(lists)")
    #expect(out.contains("\n9\n"), "\(out)")
    #expect(out.contains("unknown token '4.7'") || out.contains("'4.7'"), "\(out)")
    #expect(out.contains("unknown: \\\"skip\\\"") || out.contains("unknown: \"skip\" or \"nearest\" goes on"), "\(out)")
  }

  @Test func evaluateAndTrainTakeUnknown() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, """
      m = open("\(Self.fixtures)/torch/ckpt_zip.pt")
      d = load("songs", events: "music21")
      d
      e = evaluate(m, d, unknown: "nearest")
      e.songs
      m = train(m, d, steps: 1, batch: 2, seq: 16, unknown: "skip")
      m.steps
      """)
    #expect(out.contains("dataset: "), "\(out)")
    #expect(out.contains("vocabulary 12 tokens (music21 events)"), "\(out)")
    #expect(out.contains("mapped to the nearest vocabulary token"), "\(out)")
    #expect(out.contains("skipped"), "\(out)")
    #expect(out.hasSuffix("121"), "\(out)")
  }

  @Test func eventsOptionIsChecked() throws {
    let (dir, i) = try setUp()
    defer { TestSupport.cleanup(dir) }
    let out = TestSupport.run(i, "load(\"songs\", events: \"m21\")")
    #expect(out.contains("events must be \"midigen\" or \"music21\""), "\(out)")
  }
}
