#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Notebook

/// The `midigen` binary built beside the tests: `run`, `status` and `repl` as a user calls them.
@Suite struct CommandLineTests {
  /// The midigen executable in the test bundle's build folder (`swift test` builds every product).
  static var binary: String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = (exe as NSString).deletingLastPathComponent
    while dir.hasSuffix(".xctest") || dir.hasSuffix("/Contents") || dir.hasSuffix("/MacOS") {
      dir = (dir as NSString).deletingLastPathComponent
    }
    return dir + "/midigen"
  }

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs midigen with `args`, feeding `input` to stdin.
  func midigen(_ args: [String], input: String = "", in dir: String) throws -> Outcome {
    let bin = Self.binary
    try #require(FileManager.default.isExecutableFile(atPath: bin), "midigen not built at \(bin)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = errPipe
    try p.run()
    inPipe.fileHandleForWriting.write(input.data(using: .utf8) ?? Data())
    try inPipe.fileHandleForWriting.close()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
  }

  @Test func replThroughAPipe() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let r = try midigen(["repl"], input: """
      x = [1,
        2]
      x.count * 21
      songs = load("songs")
      songs.count
      print(nope)
      :vars
      :quit
      print("not reached")
      """, in: dir)
    #expect(r.status == 0)
    #expect(r.stdout == """
      42
      4
      <repl 5>:1:7: error: unknown name 'nope'
      print(nope)
            ^~~~
      songs (dataset): dataset songs: 4 songs, 120 events, vocabulary 12 tokens (chords norm…
      x (list): [1, 2]

      """)
  }

  @Test func runStatusAndCheckExitCodes() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let nb = dir + "/nb.mgnb"
    try "%% code: parameters\nn = 2\n\n%% code\nn * 10\n".write(toFile: nb, atomically: true, encoding: .utf8)
    var r = try midigen(["status", "nb.mgnb"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout.contains("never run: cell 1 (parameters)"))
    r = try midigen(["run", "nb.mgnb", "--check"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout.contains("+20"))
    r = try midigen(["run", "nb.mgnb"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try String(contentsOfFile: nb, encoding: .utf8).contains("\n20\n"))
    r = try midigen(["status", "nb.mgnb"], in: dir)
    #expect(r.status == 0)
    r = try midigen(["run", "nb.mgnb", "--check"], in: dir)
    #expect(r.status == 0)
    r = try midigen(["run", "nb.mgnb", "-p", "n=3", "--cell", "2"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try String(contentsOfFile: nb, encoding: .utf8).contains("\n30\n"))
    r = try midigen(["run", "nb.mgnb", "-p", "m=3"], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("unknown parameter 'm' (did you mean 'n'?)"))
    r = try midigen(["run", "nb.mgnb", "--bogus"], in: dir)
    #expect(r.status == 2)
    try "%% code\nx = oops\n".write(toFile: nb, atomically: true, encoding: .utf8)
    r = try midigen(["run", "nb.mgnb"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("nb.mgnb:2:5: error: unknown name 'oops'"))
  }

  @Test func aKilledRunLeavesAWholeFile() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let nb = dir + "/nb.mgnb"
    let original = """
      %% code: first
      songs = load("songs")
      songs.count

      %% code: long
      model = train(songs, hidden: 8, layers: 1, steps: 1000000, batch: 2, seq: 8)

      """
    try original.write(toFile: nb, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = ["run", "nb.mgnb"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Wait until the first cell's output is written, then kill during training.
    var text = original
    for _ in 0..<3000 where text == original {  // up to 30 s on a loaded machine
      usleep(10_000)
      text = try String(contentsOfFile: nb, encoding: .utf8)
    }
    usleep(50_000)
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    let after = try String(contentsOfFile: nb, encoding: .utf8)
    let doc = try NotebookDocument.parse(after, file: "nb.mgnb")
    #expect(doc.cells.count == 2)
    #expect(doc.cells[0].output == "4")
    #expect(doc.cells[1].outputBlock == nil)
    #expect(doc.cells.map(\.source) == (try NotebookDocument.parse(original, file: "nb")).cells.map(\.source))
  }
}
