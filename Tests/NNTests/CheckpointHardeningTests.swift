import Foundation
import Testing
@testable import NN

/// Crafted checkpoints of every class the hardening issue lists, generated rather than hand-picked:
/// config sizes near 2^31 and 2^62, negative, fractional, non-numeric; metadata out of range; histories
/// PyTorch users might write; non-finite weights in every tensor; floods of names. Each must be a clear
/// error naming the key (or tensor) and the file, bounded in length, reached before any big allocation.
@Suite struct CheckpointHardeningTests {
  static func configVariant(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
    try CheckpointTests.variant(name) { meta, _ in
      var cfg = (try? JSONSerialization.jsonObject(with: Data(meta["config"]!.utf8))) as? [String: Any] ?? [:]
      change(&cfg)
      meta["config"] = String(decoding: try! JSONSerialization.data(withJSONObject: cfg, options: [.fragmentsAllowed]),
                              as: UTF8.self)
    }
  }

  /// Sizes that have broken allocators: around 2^31, 2^62, Int.max, negative, zero, fractional, huge
  /// doubles, strings.
  nonisolated(unsafe) static let hostileSizes: [Any] = [
    0, -1, -4, Int(Int32.max), Int(Int32.max) + 1, 1 << 31 + 4, 1 << 62, (1 << 62) + 4, Int.max, Int.min,
    1_000_000, 1_000_000_000, 4.5, 1e300, -1e300, "4", "nan", NSNull(), [4], ["a": 4], true,
  ]

  @Test(arguments: ["hidden", "layers"])
  func hostileSizesAreErrorsNamingTheKey(_ key: String) throws {
    for (i, v) in Self.hostileSizes.enumerated() {
      let p = try Self.configVariant("size-\(key)-\(i).safetensors") { $0[key] = v }
      let start = DispatchTime.now().uptimeNanoseconds
      let e = CheckpointTests.error(p)
      let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
      #expect(e.hasPrefix(p + ": ") && e.contains("'\(key)'"), "\(key) = \(v): \(e)")
      #expect(e.count < 400, "\(key) = \(v): \(e.count) characters")
      #expect(ms < 1000, "\(key) = \(v) took \(ms) ms")
    }
    // A missing size is named too.
    let p = try Self.configVariant("size-\(key)-missing.safetensors") { $0[key] = nil }
    #expect(CheckpointTests.error(p).contains("'\(key)'"))
  }

  @Test func metadataOutOfRangeNamesTheKeyAndTheFile() throws {
    let cases: [(String, Any, String)] = [
      ("dropout", 5, "'dropout' is 5"), ("dropout", -1, "'dropout' is -1"), ("dropout", 1, "'dropout'"),
      ("dropout", "x", "'dropout'"), ("dropout", 1e300, "'dropout'"),
      ("valid", "2.5", "'valid'"), ("valid", -0.1, "'valid'"), ("valid", 1, "'valid'"), ("valid", "abc", "'valid'"),
      ("split_seed", "-1", "'split_seed'"), ("split_seed", "1e3", "'split_seed'"), ("split_seed", 1.5, "'split_seed'"),
      ("vocab_size", 7, "'vocab_size'"), ("vocab_size", "6", "'vocab_size'"),
    ]
    for (i, (key, value, expected)) in cases.enumerated() {
      let p = try Self.configVariant("meta-\(i).safetensors") { $0[key] = value }
      let e = CheckpointTests.error(p)
      #expect(e.hasPrefix(p + ": ") && e.contains(expected), "\(key) = \(value): \(e)")
    }
    // In-range values load.
    for (i, (key, value)) in [("dropout", 0.5 as Any), ("valid", "0.25"), ("valid", 0), ("split_seed", "18446744073709551615")]
      .enumerated()
    {
      let p = try Self.configVariant("meta-ok-\(i).safetensors") { $0[key] = value }
      #expect(CheckpointTests.error(p) == "no error", "\(key) = \(value)")
    }
  }

  @Test func unrecognizedHistoryIsEmptyWithAWarning() throws {
    let histories: [String?] = [nil, "{}", "[]", "null", "3", "{\"steps\": 3}", "{\"steps\": \"x\"}",
                                "{\"steps\": -1, \"train\": [], \"valid\": [], \"tokensPerSecond\": 0}",
                                "{\"train\": [{\"step\": 1}]}", "not json", String(repeating: "[", count: 10_000)]
    for (i, h) in histories.enumerated() {
      let p = try CheckpointTests.variant("history-\(i).safetensors") { meta, _ in meta["history"] = h }
      var warnings: [String] = []
      let m = try Checkpoint.load(path: p, warn: { warnings.append($0) })
      #expect(m.history == TrainingHistory(), "history \(i)")
      #expect(warnings.count == 1 && warnings[0].hasPrefix(p + ": ") && warnings[0].contains("empty history"),
              "history \(i): \(warnings)")
      #expect(warnings.allSatisfy { $0.count < 400 })
    }
  }

  @Test func extremeFiniteHistoriesLoadAndSaveAgain() throws {
    let h = "{\"steps\": \(Int.max), \"train\": [{\"step\": 1, \"loss\": 1e308}, {\"step\": \(Int.max), \"loss\": -1e308}],"
      + " \"valid\": [{\"step\": 0, \"loss\": \"nan\"}, {\"step\": 5, \"loss\": \"inf\"}], \"tokensPerSecond\": 1e308}"
    let p = try CheckpointTests.variant("history-extreme.safetensors") { meta, _ in meta["history"] = h }
    let m = try Checkpoint.load(path: p)
    #expect(m.history.steps == Int.max && m.history.train[1].loss == -1e308 && m.history.valid[0].loss.isNaN)
    let q = CheckpointTests.tempPath("history-extreme-again.safetensors")
    try Checkpoint.save(m, to: q)
    #expect(try Checkpoint.load(path: q).history.steps == Int.max)
    // Training on it cannot wrap the step counter.
    let data = [TokenSequence(ids: [1, 2, 3, 4, 5], offsets: [0, 1, 1, 1, 1])]
    var o = TrainOptions()
    o.steps = 1; o.batch = 1; o.seq = 4; o.valid = 0
    #expect(throws: NNError.self) { _ = try Trainer.train(m, on: data, options: o) { _ in true } }
  }

  @Test func nonFiniteWeightsAreRefusedNamingTheTensor() throws {
    let m = CheckpointTests.model()
    var rng = SystemRandomNumberGenerator()
    for t in m.layout.tensors {
      let bad: Float = [Float.nan, .infinity, -.infinity, Float(bitPattern: 0x7FC0_0001)].randomElement(using: &rng)!
      let index = Int.random(in: 0..<t.count, using: &rng)
      let p = CheckpointTests.tempPath("nonfinite.safetensors")
      let saved = m.params[t.offset + index]
      m.params[t.offset + index] = bad
      try Checkpoint.save(m, to: p)
      m.params[t.offset + index] = saved
      let e = CheckpointTests.error(p)
      #expect(e.hasPrefix(p + ": ") && e.contains("tensor '\(t.name)'") && e.contains("element \(index)"), "\(e)")
      let allowed = try Checkpoint.load(path: p, allowNonFinite: true)
      #expect(!allowed.params[t.offset + index].isFinite)
    }
  }

  @Test func floodsOfNamesGiveBoundedErrors() throws {
    // 3,000 extra tensors with long names, and a missing-tensor list of thousands: a short message.
    let long = String(repeating: "x", count: 1000)
    let p = try CheckpointTests.variant("flood.safetensors") { _, e in
      for i in 0..<3000 { e.append(SafeTensors.Entry(name: "\(long)\(i)", dtype: "F32", shape: [0], begin: 0, end: 0)) }
    }
    let e = CheckpointTests.error(p)
    #expect(e.contains("unknown tensor") && e.count < 600, "\(e.prefix(300))… \(e.count)")
    // layers 1,000 with the tensors of 2 layers in a small file: refused before building a layout.
    let q = try Self.configVariant("layers-many.safetensors") { $0["layers"] = 1000 }
    let e2 = CheckpointTests.error(q)
    #expect(e2.contains("'layers' is 1000") && e2.count < 300, "\(e2)")
    // Missing tensors are listed by their first few names.
    let r = try CheckpointTests.variant("missing-many.safetensors") { _, e in e.removeAll { $0.name.hasPrefix("gru.") } }
    let e3 = CheckpointTests.error(r)
    #expect(e3.contains("'layers'"), "\(e3)")
    let s = try CheckpointTests.variant("missing-few.safetensors") { _, e in e.removeAll { $0.name.hasPrefix("norm") || $0.name.hasPrefix("extract") || $0.name.hasPrefix("off") } }
    let e4 = CheckpointTests.error(s)
    #expect(e4.contains("missing tensors:") && e4.contains("and 1 more"), "\(e4)")
    // A megabyte-long format string is clipped.
    let t = try CheckpointTests.variant("format-long.safetensors") { m, _ in m["format"] = String(repeating: "f", count: 1 << 20) }
    #expect(CheckpointTests.error(t).count < 400)
  }
}
