import Foundation
import Testing
@testable import NN

/// The original's PyTorch files (made by scripts/torch/make_fixtures.py with PyTorch 2.15) read without
/// Python, and hostile pickles refused without running anything.
@Suite struct TorchCheckpointTests {
  static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/torch").path

  struct Expected: Decodable {
    struct Run: Decodable { var ids: [Int]; var offsets: [Float] }
    var vocab: [String]
    var hidden: Int, layers: Int, global_step: Int
    var dropout: Float
    var prime_ids: [Int]
    var prime_offsets: [Float]
    var f32: Run, f16: Run, bf16: Run, f64: Run
  }

  static let expected: Expected = {
    let data = FileManager.default.contents(atPath: dir + "/expected.json") ?? Data()
    // A missing fixture fails every test that uses it.
    return (try? JSONDecoder().decode(Expected.self, from: data))
      ?? Expected(vocab: [], hidden: 0, layers: 0, global_step: 0, dropout: 0, prime_ids: [], prime_offsets: [],
                  f32: .init(ids: [], offsets: []), f16: .init(ids: [], offsets: []),
                  bf16: .init(ids: [], offsets: []), f64: .init(ids: [], offsets: []))
  }()

  static func greedy(_ m: GRUNet, exact: Bool, length: Int = 500) throws -> TokenSequence {
    var o = SampleOptions()
    o.length = length
    o.topP = 0
    o.prime = TokenSequence(ids: expected.prime_ids, offsets: expected.prime_offsets)
    return try (exact ? ExactSampler.sample(m, options: o) : Sampler.sample(m, options: o))[0]
  }

  static func check(_ got: TokenSequence, _ want: Expected.Run, tolerance: Float) {
    #expect(got.ids == want.ids)
    #expect(got.offsets.count == want.offsets.count)
    let worst = zip(got.offsets, want.offsets).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= tolerance, "largest offset difference \(worst)")
  }

  @Test(arguments: ["ckpt_legacy.ch", "ckpt_zip.pt"])
  func checkpointDictGivesPyTorchsGreedyContinuation(_ file: String) throws {
    let (m, info) = try TorchCheckpoint.load(path: Self.dir + "/" + file)
    let e = Self.expected
    #expect(info.kind == "checkpoint" && info.format == (file.hasSuffix(".ch") ? "legacy" : "zip"))
    #expect(m.vocab == e.vocab)
    #expect(m.config == GRUConfig(vocabSize: e.vocab.count, hidden: e.hidden, layers: e.layers, dropout: e.dropout))
    #expect(m.history.steps == e.global_step)
    Self.check(try Self.greedy(m, exact: true), e.f32, tolerance: 2e-5)
  }

  @Test func binary16SamplerAgreesOnTokens() throws {
    let (m, _) = try TorchCheckpoint.load(path: Self.dir + "/ckpt_zip.pt")
    Self.check(try Self.greedy(m, exact: false), Self.expected.f32, tolerance: 2e-3)
  }

  @Test(arguments: ["state_zip.pth", "state_legacy.pth", "noncontiguous.pt"])
  func bareStateDictNeedsAVocabulary(_ file: String) throws {
    let path = Self.dir + "/" + file
    #expect(throws: NNError.self) { try TorchCheckpoint.load(path: path) }
    let (m, info) = try TorchCheckpoint.load(path: path, vocab: Array(Self.expected.vocab.dropFirst()))
    #expect(info.kind == "state_dict" && m.vocab == Self.expected.vocab)
    #expect(m.config.dropout == 0.2)  // the original's default: a bare state_dict does not say
    Self.check(try Self.greedy(m, exact: true), Self.expected.f32, tolerance: 2e-5)
  }

  @Test(arguments: [("ckpt_f16.pt", "f16"), ("ckpt_bf16.pt", "bf16"), ("ckpt_f64.pt", "f64")])
  func otherFloatTypesAreConverted(_ file: String, _ key: String) throws {
    let (m, _) = try TorchCheckpoint.load(path: Self.dir + "/" + file)
    let e = Self.expected
    let want = key == "f16" ? e.f16 : key == "bf16" ? e.bf16 : e.f64
    Self.check(try Self.greedy(m, exact: true), want, tolerance: 2e-5)
  }

  @Test func vocabularyOfTheWrongSizeIsRefused() throws {
    let path = Self.dir + "/ckpt_zip.pt"
    #expect(throws: NNError.self) { try TorchCheckpoint.load(path: path, vocab: ["C4", "D4"]) }
  }

  @Test(arguments: [
    ("hostile_system.ch", "posix.system"), ("hostile_system.pt", "posix.system"),
    ("hostile_exec.pt", "__builtin__.exec"), ("hostile_module.pt", "__main__.GRUNet"),
  ])
  func hostileGlobalsAreRefusedByName(_ file: String, _ global: String) throws {
    let marker = "/tmp/midigen-pwned-system"
    try? FileManager.default.removeItem(atPath: marker)
    do {
      _ = try TorchCheckpoint.load(path: Self.dir + "/" + file)
      Issue.record("\(file) was accepted")
    } catch {
      #expect("\(error)".contains("refused global '\(global)'"), "\(error)")
    }
    #expect(!FileManager.default.fileExists(atPath: marker))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/midigen-pwned-exec"))
  }

  /// Prefixes of both formats are errors (never a crash or a model): every length up to 3,000 bytes
  /// (the pickles and headers), then every 11th.
  @Test(arguments: ["ckpt_legacy.ch", "ckpt_zip.pt"])
  func everyTruncationIsAnError(_ file: String) throws {
    let data = try #require(FileManager.default.contents(atPath: Self.dir + "/" + file))
    let bytes = [UInt8](data)
    var accepted: [Int] = []
    for n in Array(0..<min(3000, bytes.count)) + Array(stride(from: 3000, to: bytes.count, by: 11)) {
      bytes[0..<n].withUnsafeBytes { raw in
        do {
          _ = try TorchCheckpoint.load(raw, vocab: nil) { NNError.checkpoint(path: file, reason: $0) }
          accepted.append(n)
        } catch {}
      }
    }
    #expect(accepted.isEmpty, "prefixes accepted: \(accepted.prefix(5))")
  }

  /// Seeded random byte mutations: each gives a model or an error, never a crash.
  @Test(arguments: ["ckpt_legacy.ch", "ckpt_zip.pt"])
  func mutatedFilesNeverCrash(_ file: String) throws {
    let data = try #require(FileManager.default.contents(atPath: Self.dir + "/" + file))
    var rng = SeededRNG(seed: 14)
    var errors = 0
    for _ in 0..<1500 {
      var bytes = [UInt8](data)
      for _ in 0..<(1 + rng.int(below: 4)) {
        let i = rng.int(below: bytes.count)
        bytes[i] = rng.int(below: 2) == 0 ? UInt8(rng.int(below: 256)) : bytes[i] ^ 0xFF
      }
      bytes.withUnsafeBytes { raw in
        do { _ = try TorchCheckpoint.load(raw, vocab: nil) { NNError.checkpoint(path: file, reason: $0) } } catch {
          errors += 1
        }
      }
    }
    #expect(errors > 0)
  }

  /// Every global outside the allowlist is refused by name, whether named by GLOBAL (protocol 2) or by
  /// STACK_GLOBAL (protocol 4), and before any REDUCE could call it.
  @Test func globalsOutsideTheAllowlistAreRefused() throws {
    let modules = ["posix", "os", "builtins", "__builtin__", "subprocess", "torch", "collections", "numpy.core", "_codecs"]
    let names = ["system", "eval", "exec", "Popen", "load", "defaultdict", "_reconstruct", "encode", "getattr"]
    for m in modules {
      for n in names where !PickleReader.allowed.contains(m + "." + n) {
        let full = m + "." + n
        let v2: [UInt8] = [0x80, 2, 0x63] + Array("\(m)\n\(n)\n".utf8) + [0x29, 0x52, 0x2E]
        var v4: [UInt8] = [0x80, 4, 0x8C, UInt8(m.utf8.count)] + Array(m.utf8)
        v4 += [0x8C, UInt8(n.utf8.count)] + Array(n.utf8) + [0x93, 0x29, 0x52, 0x2E]
        for bytes in [v2, v4] {
          #expect {
            try bytes.withUnsafeBytes { raw in var r = PickleReader(raw); _ = try r.read() }
          } throws: { "\($0)".contains("refused global '\(full)'") }
        }
      }
    }
  }

  /// The float32 path draws the same tokens as the binary16 sampler here (nucleus sampling, no prime, two
  /// melodies), with offsets close.
  @Test func exactAndFastSamplersAgreeOnTheFixture() throws {
    let (m, _) = try TorchCheckpoint.load(path: Self.dir + "/ckpt_zip.pt")
    var o = SampleOptions()
    o.length = 200; o.topP = 0.9; o.seed = 7; o.count = 2
    let a = try ExactSampler.sample(m, options: o), b = try Sampler.sample(m, options: o)
    #expect(a.map(\.ids) == b.map(\.ids))
    let worst = zip(a, b).flatMap { zip($0.offsets, $1.offsets).map { abs($0 - $1) } }.max() ?? 1
    #expect(worst < 2e-3)
  }

  @Test func modelReprIsParsed() {
    let r = """
      GRUNet(
        (emb): Embedding(360, 256)
        (gru): GRU(256, 256, num_layers=2, batch_first=True, dropout=0.2)
      )
      """
    let a = TorchCheckpoint.parseRepr(r)
    #expect(a.embedding?.0 == 360 && a.embedding?.1 == 256)
    #expect(a.gruHidden == 256 && a.layers == 2 && a.dropout == 0.2)
  }

  /// A hand-written pickle: protocol 2, a dict holding a list, an int and a float; and globals refused.
  @Test func pickleOpcodes() throws {
    // 80 02 PROTO 2 | 7d EMPTY_DICT | 71 00 BINPUT 0 | ( MARK | X len 'a' | ] EMPTY_LIST | K 05 BININT1 5 |
    // a APPEND | X 'b' | G <8 bytes BE 1.5> | u SETITEMS | . STOP
    var b: [UInt8] = [0x80, 2, 0x7D, 0x71, 0, 0x28, 0x58, 1, 0, 0, 0, 0x61, 0x5D, 0x4B, 5, 0x61,
                      0x58, 1, 0, 0, 0, 0x62, 0x47]
    b += withUnsafeBytes(of: (1.5).bitPattern.bigEndian) { Array($0) }
    b += [0x75, 0x2E]
    let v = try b.withUnsafeBytes { raw -> PickleValue in var r = PickleReader(raw); return try r.read() }
    guard case .dict(let d) = v, case .list(let l)? = d["a"], case .float(1.5)? = d["b"] else {
      Issue.record("unexpected \(v)"); return
    }
    #expect(l.items.count == 1)
    let evil = Array("cos\nsystem\n(S'true'\ntR.".utf8)
    #expect {
      try evil.withUnsafeBytes { raw in var r = PickleReader(raw); _ = try r.read() }
    } throws: { "\($0)".contains("refused global 'os.system'") }
  }
}
