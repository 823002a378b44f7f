import Foundation
import Melody
import Sound
import Testing
@testable import Notebook

/// `play` and `stop`: skipped outside the REPL; in it, through a fake player on a private search path.
@Suite(.serialized) struct PlayBuiltinTests {
  static func setUp(_ name: String = #function) throws -> (String, Interpreter) {
    let dir = try TestSupport.tempFolder(name)
    let i = TestSupport.interpreter(base: dir)
    i.session.variables["m"] = .object(try MelodyObject(name: "tune", tokens: ["C4", "E4"], offsets: [0, 1]))
    try WAV.write([0, 0.1, 0.2], sampleRate: 8000, to: dir + "/a.wav")
    try MelodyIO.writeMIDI([NoteEvent(pitch: 60, start: 0, duration: 1, velocity: 90)], tempo: 120, to: dir + "/a.mid")
    try "x".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
    return (dir, i)
  }

  @Test func skippedWhenNotInteractive() throws {
    let (dir, i) = try Self.setUp()
    defer { TestSupport.cleanup(dir) }
    #expect(!i.environment.interactive)
    #expect(TestSupport.run(i, "play(m)\nplay(\"a.wav\")\nplay(\"a.mid\")\nstop()") == """
      play: skipped (not interactive)
      play: skipped (not interactive)
      play: skipped (not interactive)
      """)
  }

  @Test(arguments: [
    ("play(3)", "1:6", "play() expects a melody or a .wav or .mid path, got an integer"),
    ("play(\"missing.wav\")", "1:6", "no such file 'missing.wav'"),
    ("play(\"a.txt\")", "1:6", "play() plays .wav and .mid files; got 'a.txt'"),
    ("play(\"a.wav\") ", "", ""),
    ("play(take(m, 0))", "1:6", "play(): the melody has no notes"),
    ("play()", "1:1", "play() needs a melody or a .wav or .mid path as argument 1"),
    ("stop(m)", "1:6", "stop() takes 0 positional arguments, got 1"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) throws {
    let (dir, i) = try Self.setUp()
    defer { TestSupport.cleanup(dir) }
    let r = i.run(source)
    if at.isEmpty {
      #expect(r.error == nil)
      return
    }
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  @Test func playsThroughTheFirstPlayerWhenInteractive() throws {
    let (dir, i) = try Self.setUp()
    defer { TestSupport.cleanup(dir) }
    i.environment.interactive = true
    let bin = dir + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try "#!/bin/sh\necho \"$@\" > \"\(bin)/args\"\nexec sleep 30\n".write(toFile: bin + "/pw-play", atomically: true,
                                                                        encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/pw-play")
    let saved = PlayBuiltin.player
    PlayBuiltin.player = AudioPlayer(searchPath: bin)
    defer {
      PlayBuiltin.player.stop()
      PlayBuiltin.player = saved
    }
    #expect(TestSupport.run(i, "play(m)") == "playing melody tune (0.8 s) with pw-play; stop() ends it")
    var args = ""
    for _ in 0..<500 where args.isEmpty {
      args = (FileManager.default.contents(atPath: bin + "/args").map { String(decoding: $0, as: UTF8.self) } ?? "")
        .trimmingCharacters(in: .whitespacesAndNewlines)
      usleep(10_000)
    }
    // A temporary WAV rendered by the synthesizer, removed by stop().
    #expect(args.hasSuffix(".wav") && args.contains("midigen-play-"))
    let bytes = FileManager.default.contents(atPath: args).map { Array($0.prefix(4)) }
    #expect(bytes == Array("RIFF".utf8))
    #expect(PlayBuiltin.player.isPlaying)
    #expect(TestSupport.run(i, "stop()") == "")
    #expect(!PlayBuiltin.player.isPlaying)
    #expect(!FileManager.default.fileExists(atPath: args))
    // A file plays as it is.
    #expect(TestSupport.run(i, "play(\"a.wav\")") == "playing \"a.wav\" with pw-play; stop() ends it")
    #expect(PlayBuiltin.player.stop())
    // No player: the error names what to install, at the call.
    PlayBuiltin.player = AudioPlayer(searchPath: dir + "/nothing")
    let r = i.run("play(m)")
    #expect(r.error?.range.start.description == "1:1")
    #expect(r.error?.message.contains("no audio player found on PATH") == true)
  }
}
