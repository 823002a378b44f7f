import Foundation
import Plot
import Sound
import Testing

@testable import Notebook

/// The page data a run records beside the notebook (`.NAME.mgpage/`), and reading it back as untrusted.
@Suite struct OutputArtifactsTests {
  func runWorkflow(_ test: String = #function) throws -> (dir: String, path: String, doc: NotebookDocument) {
    let dir = try TestSupport.tempFolder(test)
    try TestSupport.writeSongs(into: dir)
    let path = dir + "/workflow.mgnb"
    try FileManager.default.copyItem(atPath: TestSupport.goldenFolder + "/workflow.mgnb", toPath: path)
    let runner = NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: dir))
    let result = try runner.run(RunOptions())
    #expect(!result.failed)
    return (dir, path, result.document)
  }

  @Test func aRunRecordsChartsAndMelodiesOfEachOutput() throws {
    let (dir, path, doc) = try runWorkflow()
    defer { TestSupport.cleanup(dir) }
    let folder = OutputArtifacts.folder(forNotebook: path)
    #expect(folder == dir + "/.workflow.mgpage")
    let outputs = doc.cells.compactMap(\.output)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(files == Set(outputs.map { OutputArtifacts.key($0) + ".json" }).sorted())
    // The data cell displayed a melody and its piano roll, in that order, each found in the output.
    let dataOutput = try #require(doc.cells.first { $0.title == "data" }?.output)
    guard case .items(let items) = OutputArtifacts.load(output: dataOutput, notebook: path) else {
      Issue.record("no page data for the data cell")
      return
    }
    #expect(items.map { $0.chart != nil ? "chart" : "melody" } == ["melody", "chart"])
    for item in items { #expect(dataOutput.contains(item.display)) }
    let chart = try #require(items[1].chart)
    #expect(SVGSanitizer.inlinable(chart) != nil, "midigen's chart is inlined")
    let melody = try #require(items[0].melody)
    #expect(melody.notes.count > 10 && melody.tempo > 0)
    // A notebook edited by hand: its output has no page data.
    #expect(OutputArtifacts.load(output: dataOutput + "\nedited", notebook: path) == .absent)
  }

  @Test func checkRunsWriteNothingAndStaleFilesAreRemoved() throws {
    let (dir, path, _) = try runWorkflow()
    defer { TestSupport.cleanup(dir) }
    let folder = OutputArtifacts.folder(forNotebook: path)
    try "{}".write(toFile: folder + "/0123456789abcdef.json", atomically: true, encoding: .utf8)
    var options = RunOptions()
    options.write = false
    _ = try NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: dir)).run(options)
    #expect(FileManager.default.fileExists(atPath: folder + "/0123456789abcdef.json"))
    options = RunOptions()
    options.cell = "sample"
    _ = try NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: dir)).run(options)
    #expect(!FileManager.default.fileExists(atPath: folder + "/0123456789abcdef.json"))
  }

  /// Page data written by a hostile hand: every way the file can be wrong is an `.invalid`, never a crash.
  @Test func craftedFilesAreRefused() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/x.mgnb"
    let folder = OutputArtifacts.folder(forNotebook: path)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    func note(_ fields: String) -> String {
      "{\"format\":\"midigen-page-outputs\",\"version\":1,\"items\":[{\"display\":\"m\",\"melody\":{\"name\":\"m\","
        + fields + "}}]}"
    }
    var variants = [
      "", "not json", "[]", "{}", "{\"format\":\"x\",\"version\":1,\"items\":[]}",
      "{\"format\":\"midigen-page-outputs\",\"version\":2,\"items\":[]}",
      "{\"format\":\"midigen-page-outputs\",\"version\":1,\"items\":[{\"display\":1}]}",
    ]
    for tempo in ["0", "-1", "\"nan\"", "\"inf\"", "1e300", "100000"] {
      variants.append(note("\"tempo\":\(tempo),\"notes\":[]"))
    }
    for n in [
      "[1e300,0,1,90]", "{\"pitch\":128,\"start\":0,\"duration\":1,\"velocity\":90}",
      "{\"pitch\":-1,\"start\":0,\"duration\":1,\"velocity\":90}", "{\"pitch\":60,\"start\":\"nan\",\"duration\":1,\"velocity\":90}",
      "{\"pitch\":60,\"start\":0,\"duration\":\"inf\",\"velocity\":90}", "{\"pitch\":60,\"start\":-5,\"duration\":1,\"velocity\":90}",
      "{\"pitch\":60,\"start\":0,\"duration\":1e15,\"velocity\":90}", "{\"pitch\":60,\"start\":0,\"duration\":1,\"velocity\":300}",
      "{\"pitch\":9223372036854775807,\"start\":0,\"duration\":1,\"velocity\":90}",
    ] {
      variants.append(note("\"tempo\":120,\"notes\":[\(n)]"))
    }
    for (k, text) in variants.enumerated() {
      let output = "output \(k)"
      try text.write(toFile: folder + "/" + OutputArtifacts.key(output) + ".json", atomically: true, encoding: .utf8)
      let loaded = OutputArtifacts.load(output: output, notebook: path)
      guard case .invalid = loaded else {
        Issue.record("variant \(k) accepted: \(text) -> \(loaded)")
        continue
      }
    }
    // Not a regular file (a folder, a link to a huge file).
    try FileManager.default.createDirectory(
      atPath: folder + "/" + OutputArtifacts.key("dir") + ".json", withIntermediateDirectories: true)
    #expect(OutputArtifacts.load(output: "dir", notebook: path) != .absent)
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/" + OutputArtifacts.key("link") + ".json", withDestinationPath: "/dev/zero")
    guard case .invalid = OutputArtifacts.load(output: "link", notebook: path) else {
      Issue.record("a link to /dev/zero was read")
      return
    }
  }

  /// The page's player uses the synthesizer's own constants.
  @Test func playerMatchesTheSynthesizer() {
    #expect(MelodyPlayer.attack == Synth.attack)
    #expect(MelodyPlayer.release == Synth.release)
    #expect(MelodyPlayer.peak == Synth.peak)
    #expect(MelodyPlayer.harmonics == Synth.harmonics)
    let m = PlayerMelody(name: "m", tempo: 90, notes: [.init(pitch: 60, start: 0.5, duration: 1, velocity: 90)])
    let samples = Synth.render([SynthNote(pitch: 60, start: 0.5, duration: 1, velocity: 90)], tempo: 90)
    #expect(samples.count == Int((m.seconds * 44100).rounded(.up)))
    // Partials below Nyquist only: a high key keeps fewer.
    #expect(MelodyPlayer.partials(pitch: 60).count == 6)
    #expect(MelodyPlayer.partials(pitch: 127).count == 1)
  }
}
