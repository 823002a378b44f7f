import Foundation
import Testing
@testable import NN

@Suite struct CheckpointTests {
  static func tempPath(_ name: String, sub: String = "") -> String {
    let dir = FileManager.default.temporaryDirectory.path + "/nn-ckpt-\(getpid())" + sub
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/" + name
  }

  static func model() -> GRUNet {
    let m = GRUNet(config: GRUConfig(vocabSize: 6, hidden: 4, layers: 2, dropout: 0.2),
                   vocab: ["<PAD>", "C4", "E-4", "0.4.7", "G\"4", "a/b"], seed: 12)
    m.metadata["encoding"] = "{\"quantize\":12,\"chords\":\"normal\"}"
    m.metadata["note"] = "plain text"
    m.history.steps = 2
    m.history.train = [LossPoint(step: 1, loss: 3.25), LossPoint(step: 2, loss: 2.0625)]
    m.history.valid = [LossPoint(step: 2, loss: 2.5)]
    m.history.tokensPerSecond = 1234.5
    return m
  }

  @Test func roundTripIsExact() throws {
    let m = Self.model()
    let p1 = Self.tempPath("a.safetensors"), p2 = Self.tempPath("b.safetensors")
    try Checkpoint.save(m, to: p1)
    let l = try Checkpoint.load(path: p1)
    // Everything but the training speed (a clock reading, saved as 0 so that re-runs save the same bytes).
    var timeless = m.history
    timeless.tokensPerSecond = 0
    #expect(m.history.tokensPerSecond == 1234.5)
    #expect(l.config == m.config && l.vocab == m.vocab && l.history == timeless)
    #expect(l.metadata["note"] == "plain text")
    #expect(l.metadata["encoding"] == "{\"chords\":\"normal\",\"quantize\":12}")
    for t in m.layout.tensors { #expect(l.tensor(t.name) == m.tensor(t.name)) }
    try Checkpoint.save(l, to: p2)
    let a = try Data(contentsOf: URL(fileURLWithPath: p1)), b = try Data(contentsOf: URL(fileURLWithPath: p2))
    #expect(a == b)
    // Header: 8-byte length, JSON starting with metadata, data aligned to 8 bytes.
    let n = a.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    #expect(n % 8 == 0 && a.count == 8 + n + m.parameterCount * 4)
    let header = try JSONSerialization.jsonObject(with: a.subdata(in: 8..<(8 + n))) as! [String: Any]
    let meta = header["__metadata__"] as! [String: String]
    #expect(meta["format"] == "midigen-gru/1")
    #expect((header["gru.weight_ih_l1"] as! [String: Any])["shape"] as! [Int] == [12, 4])
    #expect((header["off.weight"] as! [String: Any])["shape"] as! [Int] == [4, 1])
    #expect((header["fc_offset.0.weight"] as! [String: Any])["shape"] as! [Int] == [1, 4])
    #expect(header.count == 1 + 5 + 8 + 4)
  }

  @Test func overwriteIsAtomicAndLeavesNoTemporaryFile() throws {
    let p = Self.tempPath("c.safetensors", sub: "-atomic")
    try Checkpoint.save(Self.model(), to: p)
    try Checkpoint.save(Self.model(), to: p)
    let dir = (p as NSString).deletingLastPathComponent
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
    #expect(throws: NNError.self) { try Checkpoint.save(Self.model(), to: "/nonexistent-dir/x.safetensors") }
  }

  /// Writes a file with the model's tensors, after `edit` changed the metadata/entries.
  static func variant(_ name: String, edit: (inout [String: String], inout [SafeTensors.Entry]) -> Void) throws -> String {
    let m = model()
    var meta = try Checkpoint.metadata(of: m, path: "")
    var entries = m.layout.tensors.map {
      SafeTensors.Entry(name: $0.name, dtype: "F32", shape: $0.shape, begin: $0.offset * 4, end: ($0.offset + $0.count) * 4)
    }
    edit(&meta, &entries)
    let header = SafeTensors.headerBytes(metadata: meta, entries: entries)
    var d = Data()
    var n = UInt64(header.count)
    withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
    d.append(contentsOf: header)
    d.append(UnsafeBufferPointer(start: m.params, count: m.parameterCount))
    let p = tempPath(name)
    try d.write(to: URL(fileURLWithPath: p))
    return p
  }

  static func error(_ path: String) -> String {
    do { _ = try Checkpoint.load(path: path); return "no error" } catch { return "\(error)" }
  }

  @Test func truncatedFilesAreErrors() throws {
    let p = Self.tempPath("full.safetensors")
    try Checkpoint.save(Self.model(), to: p)
    let full = try Data(contentsOf: URL(fileURLWithPath: p))
    for cut in [0, 5, 8, 20, full.count / 2, full.count - 1] {
      let q = Self.tempPath("cut\(cut).safetensors")
      try full.prefix(cut).write(to: URL(fileURLWithPath: q))
      let e = Self.error(q)
      #expect(e.hasPrefix(q + ": ") && e.contains("truncated"), "cut \(cut): \(e)")
    }
  }

  @Test func corruptHeaderIsAnError() throws {
    var d = Data()
    let json = Array("{\"emb.weight\": {\"dtype\": \"F32\",, }}   ".utf8)
    var n = UInt64(json.count)
    withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
    d.append(contentsOf: json)
    let p = Self.tempPath("badjson.safetensors")
    try d.write(to: URL(fileURLWithPath: p))
    let e = Self.error(p)
    #expect(e.contains("bad header JSON at byte"), "\(e)")
  }

  @Test func mismatchedFilesAreErrors() throws {
    let cases: [(String, String, (inout [String: String], inout [SafeTensors.Entry]) -> Void)] = [
      ("unknown", "unknown tensor 'gru.weight_ih_l5'", { _, e in e[5].name = "gru.weight_ih_l5" }),
      ("shape", "tensor 'norm.weight' has shape [2, 2], expected [4]", { _, e in e[3].shape = [2, 2] }),
      ("dtype", "tensor 'off.bias' has dtype F16", { _, e in e[2].dtype = "F16" }),
      ("vocab", "vocab has 5 tokens but emb.weight has 6 rows", { m, _ in
        m["vocab"] = "[\"<PAD>\",\"a\",\"b\",\"c\",\"d\"]" }),
      ("missing", "missing tensors: fc_class.weight", { _, e in e.removeAll { $0.name == "fc_class.weight" } }),
      ("novocab", "no 'vocab'", { m, _ in m["vocab"] = nil }),
      ("format", "format is 'other/2'", { m, _ in m["format"] = "other/2" }),
      ("config", "'config' is not valid JSON", { m, _ in m["config"] = "{hidden: 4" }),
      ("offsets", "data_offsets span", { _, e in e[1].end -= 4 }),
      ("beyond", "truncated", { _, e in e[0].end += 1_000_000 }),
    ]
    for (name, expected, edit) in cases {
      let p = try Self.variant(name + ".safetensors", edit: edit)
      let e = Self.error(p)
      #expect(e.hasPrefix(p + ": ") && e.contains(expected), "\(name): \(e)")
    }
    #expect(Self.error(Self.tempPath("does-not-exist")).contains("cannot read"))
  }
}
