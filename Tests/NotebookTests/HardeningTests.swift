import Foundation
import Testing
@testable import Notebook

/// Hostile input through the language and the session folder: every variant must end in an error that
/// names what is wrong (bounded in length), never a trap or a giant allocation. Variants are generated
/// from a real saved session and real values, one field at a time.
@Suite struct HardeningTests {
  static var store: SessionStore { SessionStore(restorers: StandardLibrary().restorers) }

  /// A folder with songs/, a notebook path, and a session with a dataset, a melody, a model, a history,
  /// a record-like value and a list, saved beside the notebook.
  static func savedSession(_ name: String = #function) throws -> (dir: String, notebook: String) {
    let dir = try TestSupport.tempFolder(name)
    try TestSupport.writeSongs(into: dir)
    let i = TestSupport.interpreter(base: dir)
    let out = TestSupport.run(i, """
      songs = load("songs")
      m = song(songs, 0)
      model = train(songs, hidden: 4, layers: 1, steps: 1, batch: 2, seq: 8, seed: 1)
      h = model.history
      xs = [1, 2.5, "a", [true, 3]]
      f = plot
      """)
    #expect(!out.contains("error"), "\(out)")
    let notebook = dir + "/n.mgnb"
    try store.save(i.session, notebook: notebook)
    return (dir, notebook)
  }

  static func manifestPath(_ notebook: String) -> String { SessionStore.folder(forNotebook: notebook) + "/session.json" }

  static func editManifest(_ notebook: String, _ edit: (inout [String: Any]) -> Void) throws {
    let p = manifestPath(notebook)
    var m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: p))) as! [String: Any]
    edit(&m)
    try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: p))
  }

  /// The error of loading the session, or "loaded".
  static func loadError(_ notebook: String) -> String {
    do { _ = try store.load(notebook: notebook); return "loaded" } catch { return "\(error)" }
  }

  static func fileOf(_ notebook: String, variable: String) throws -> String {
    let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath(notebook)))) as! [String: Any]
    let v = (m["variables"] as! [String: Any])[variable] as! [String: Any]
    let fields = (v["object"] as! [String: Any])["fields"] as! [String: String]
    return SessionStore.folder(forNotebook: notebook) + "/" + fields["file"]!
  }

  @Test func aSessionCannotShadowBuiltinsOrUseOddNames() throws {
    let (dir, nb) = try Self.savedSession()
    defer { TestSupport.cleanup(dir) }
    #expect(Self.loadError(nb) == "loaded")
    let original = try Data(contentsOf: URL(fileURLWithPath: Self.manifestPath(nb)))
    let names = StandardLibrary().names + ["", "1x", "a b", "true", "false", "x/y", "a-b", String(repeating: "n", count: 300)]
    for name in names {
      try original.write(to: URL(fileURLWithPath: Self.manifestPath(nb)))
      try Self.editManifest(nb) { m in
        var vars = m["variables"] as! [String: Any]
        vars[name] = vars["xs"]
        m["variables"] = vars
      }
      let e = Self.loadError(nb)
      #expect(e.contains("shadow") || e.contains("not an identifier"), "\(name): \(e)")
      #expect(e.count < 500)
    }
  }

  @Test func hostileValuesAndFilesAreErrors() throws {
    let (dir, nb) = try Self.savedSession()
    defer { TestSupport.cleanup(dir) }
    let original = try Data(contentsOf: URL(fileURLWithPath: Self.manifestPath(nb)))
    let outside = dir + "/outside.safetensors"
    FileManager.default.createFile(atPath: outside, contents: Data("x".utf8))
    try FileManager.default.createSymbolicLink(atPath: SessionStore.folder(forNotebook: nb) + "/link.safetensors",
                                               withDestinationPath: outside)
    var deep: Any = ["int": ["_0": 1]]
    for _ in 0..<100 { deep = ["list": ["_0": [deep]]] }
    let edits: [(String, Any)] = [
      ("function", ["function": ["_0": "system"]]),
      ("record", ["record": ["type": "r", "names": ["a", "b"], "values": [["int": ["_0": 1]]]]]),
      ("record names", ["record": ["type": "r", "names": ["a", "a"], "values": [["int": ["_0": 1]], ["int": ["_0": 2]]]]]),
      ("type", ["object": ["type": "shell", "fields": [:]]]),
      ("parent", ["object": ["type": "model", "fields": ["file": "../outside.safetensors"]]]),
      ("absolute", ["object": ["type": "model", "fields": ["file": outside]]]),
      ("hidden", ["object": ["type": "melody", "fields": ["file": ".x"]]]),
      ("link", ["object": ["type": "model", "fields": ["file": "link.safetensors"]]]),
      ("missing", ["object": ["type": "dataset", "fields": ["file": "nope.json"]]]),
      ("deep", deep),
    ]
    for (what, value) in edits {
      try original.write(to: URL(fileURLWithPath: Self.manifestPath(nb)))
      try Self.editManifest(nb) { m in
        var vars = m["variables"] as! [String: Any]
        vars["xs"] = value
        m["variables"] = vars
      }
      let e = Self.loadError(nb)
      #expect(e != "loaded" && e.count < 600, "\(what): \(e)")
    }
  }

  /// Each array of each stored song made one shorter or longer, each number pushed out of range.
  @Test func storedDatasetsAreValidatedAsStrictlyAsFreshFiles() throws {
    let (dir, nb) = try Self.savedSession()
    defer { TestSupport.cleanup(dir) }
    let file = try Self.fileOf(nb, variable: "songs")
    let original = try Data(contentsOf: URL(fileURLWithPath: file))
    func variant(_ edit: (inout [String: Any]) -> Void) throws -> String {
      var d = try JSONSerialization.jsonObject(with: original) as! [String: Any]
      edit(&d)
      try JSONSerialization.data(withJSONObject: d).write(to: URL(fileURLWithPath: file))
      return Self.loadError(nb)
    }
    func song(_ d: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
      var songs = d["songs"] as! [[String: Any]]
      change(&songs[0])
      d["songs"] = songs
    }
    for key in ["tokens", "offsets", "durations", "velocities"] {
      for delta in [-1, 1] {
        let e = try variant { d in song(&d) { s in
          var a = s[key] as! [Any]
          if delta < 0 { a.removeLast() } else { a.append(a[0]) }
          s[key] = a
        } }
        #expect(e.contains("song 0") && e.count < 600, "\(key) \(delta): \(e)")
      }
    }
    let numbers: [(String, Any)] = [("offsets", 1e300), ("offsets", -1), ("durations", 1e13), ("durations", -0.5),
                                    ("velocities", 200), ("velocities", -1), ("tokens", "not a token")]
    for (key, bad) in numbers {
      let e = try variant { d in song(&d) { s in
        var a = s[key] as! [Any]
        a[a.count / 2] = bad
        s[key] = a
      } }
      #expect(e != "loaded" && e.count < 600, "\(key) = \(bad): \(e)")
    }
    for tempo: Double in [0, -120, 1e300] {
      let e = try variant { d in song(&d) { $0["tempo"] = tempo } }
      #expect(e.contains("tempo"), "tempo \(tempo): \(e)")
    }
    let q = try variant { d in var o = d["options"] as! [String: Any]; o["quantize"] = 0; d["options"] = o }
    #expect(q.contains("quantize"), "\(q)")
  }

  @Test func storedMelodiesAndModelsAreValidated() throws {
    let (dir, nb) = try Self.savedSession()
    defer { TestSupport.cleanup(dir) }
    let melody = try Self.fileOf(nb, variable: "m")
    let original = try Data(contentsOf: URL(fileURLWithPath: melody))
    for (key, value) in [("offsets", 1e300 as Any), ("tempo", 1e300), ("tempo", 0), ("durations", -1),
                         ("notes", [[1e300, 0, 1, 90]]), ("notes", [[60, 1e300, 1, 90]]), ("notes", [[60, 0, 1, 1e300]]),
                         ("notes", [[60, 0]])] {
      var d = try JSONSerialization.jsonObject(with: original) as! [String: Any]
      if key == "offsets" || key == "durations" {
        var a = d[key] as! [Any]; a[0] = value; d[key] = a
      } else {
        d[key] = value
      }
      try JSONSerialization.data(withJSONObject: d).write(to: URL(fileURLWithPath: melody))
      let e = Self.loadError(nb)
      #expect(e != "loaded" && e.count < 600, "\(key) = \(value): \(e)")
    }
    try original.write(to: URL(fileURLWithPath: melody))
    // A model whose config asks for 2^62 hidden units, and one with garbage bytes.
    let model = try Self.fileOf(nb, variable: "model")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: model))
    let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    var header = String(decoding: bytes.subdata(in: 8..<(8 + n)), as: UTF8.self)
    header = header.replacingOccurrences(of: "\\\"hidden\\\":4", with: "\\\"hidden\\\":4611686018427387904")
    #expect(header.contains("4611686018427387904"))
    var crafted = Data()
    var len = UInt64(header.utf8.count)
    withUnsafeBytes(of: &len) { crafted.append(contentsOf: $0) }
    crafted.append(contentsOf: Array(header.utf8))
    crafted.append(bytes.subdata(in: (8 + n)..<bytes.count))
    try crafted.write(to: URL(fileURLWithPath: model))
    let e = Self.loadError(nb)
    #expect(e.contains("'hidden'"), "\(e)")
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: model))
    #expect(Self.loadError(nb).contains("truncated"))
  }

  /// Melody JSON files with numbers of every order of magnitude: opened or refused, never a trap.
  @Test func melodyFilesWithHugeNumbers() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let i = TestSupport.interpreter(base: dir)
    for k in stride(from: 0, through: 308, by: 14) {
      let x = pow(10, Double(k))
      for (j, json) in [
        "{\"name\":\"a\",\"tempo\":120,\"tokens\":[\"C4\",\"D4\"],\"offsets\":[0,\(x)],\"durations\":[1,1],\"velocities\":[90,90]}",
        "{\"name\":\"a\",\"tempo\":\(x),\"tokens\":[\"C4\"],\"offsets\":[0],\"durations\":[\(x)],\"velocities\":[90]}",
        "{\"name\":\"a\",\"tempo\":120,\"tokens\":[\"C4\"],\"offsets\":[0],\"durations\":[1],\"velocities\":[90],\"notes\":[[60,\(x),\(x),90]]}",
      ].enumerated() {
        try json.write(toFile: dir + "/m\(j).json", atomically: true, encoding: .utf8)
        let out = TestSupport.run(i, """
          m = open("m\(j).json")
          plot(m)
          save(m, "m\(j).mid")
          save(m, "m\(j).wav")
          """)
        // Either opened and plotted, or refused with the file named; a WAV over an hour is refused.
        #expect(out.contains("m\(j)") && out.count < 20_000, "\(x), \(j): \(out.suffix(300))")
        if x >= 1e4 && !out.contains("m\(j).json") {
          #expect(out.contains("at most 1 hour") || out.contains("saved: m\(j).wav"), "\(x), \(j): \(out.suffix(300))")
        }
      }
    }
  }

  /// A 1.6 KB MIDI file whose gaps add up to 54 billion quarters (4.7 PB of audio): it opens, plots and
  /// saves as MIDI; as WAV it is refused with its length.
  @Test func aMIDIFileWithAHugeGap() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    var track: [UInt8] = [0x00, 0x90, 60, 64, 0x01, 0x80, 60, 0]
    for _ in 0..<200 { track += [0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0x01, 0x00] }  // delta 2^28 − 1, empty text
    track += [0x00, 0x90, 62, 64, 0x01, 0x80, 62, 0, 0x00, 0xFF, 0x2F, 0x00]
    var file: [UInt8] = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 1] + Array("MTrk".utf8)
    file += [UInt8(track.count >> 24), UInt8(track.count >> 16 & 0xFF), UInt8(track.count >> 8 & 0xFF), UInt8(track.count & 0xFF)]
    file += track
    #expect(file.count < 1700)
    try Data(file).write(to: URL(fileURLWithPath: dir + "/gap.mid"))
    let out = TestSupport.run(TestSupport.interpreter(base: dir), """
      m = open("gap.mid")
      plot(m)
      save(m, "gap-again.mid")
      save(m, "gap.wav")
      """)
    #expect(out.contains("saved: gap-again.mid") && out.contains("at most 1 hour") && out.contains("years"), "\(out)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/gap.wav"))
  }

  /// Offsets and sizes through train and sample: refused at the argument, or bounded.
  @Test func hugeArgumentsAreRefusedAtTheArgument() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let i = TestSupport.interpreter(base: dir)
    let out = TestSupport.run(i, "songs = load(\"songs\")\nmodel = train(songs, hidden: 4, layers: 1, steps: 1, batch: 2, seq: 8)")
    #expect(!out.contains("error"), "\(out)")
    MemoryBudget.limitOverride = 24 << 30
    defer { MemoryBudget.limitOverride = nil }
    for (code, expected) in [
      ("train(songs, epochs: 1e300)", "epochs: 1e+300 means about"),
      ("train(model, songs, epochs: 1e300)", "epochs"),
      ("train(songs, hidden: 8192, layers: 64, steps: 1)", "needs"),
      ("train(songs, batch: 100000, seq: 1000000, steps: 1, hidden: 4, layers: 1)", "needs"),
    ] {
      let r = TestSupport.run(i, code)
      #expect(r.hasPrefix("error 1:") && r.contains(expected) && r.count < 600, "\(code): \(r)")
    }
    // The example (about 150 GB) is refused on a 24 GB machine, smaller batches under a low limit.
    MemoryBudgetLimit.with(24 << 30) {
      let r = TestSupport.run(i, "sample(model, length: 1000000, count: 1024)")
      #expect(r.hasPrefix("error 1:") && r.contains("needs") && r.contains("sampling 1024 melodies"), "\(r)")
    }
    MemoryBudgetLimit.with(1 << 30) {
      let r = TestSupport.run(i, "sample(model, length: 1000000, count: 16)")
      #expect(r.contains("needs") && r.contains("sampling 16 melodies"), "\(r)")
    }
    let huge = TestSupport.run(i, """
      s = sample(model, length: 8, offsets: 1e30, seed: 1)
      plot(s)
      save(s, "s.mid")
      save(s, "s.wav")
      """)
    #expect(huge.contains("saved: s.mid") && huge.contains("at most 1 hour"), "\(huge)")
  }
}

import NN

enum MemoryBudgetLimit {
  static func with(_ bytes: Int, _ body: () -> Void) {
    MemoryBudget.limitOverride = bytes
    defer { MemoryBudget.limitOverride = nil }
    body()
  }
}
