import Foundation
import Testing

@testable import Sound

/// `AudioPlayer` against fake players: shell scripts on a private search path that record their
/// arguments and process id, then wait (or fail as a player without an audio device does).
@Suite struct PlayerTests {
  /// A temp folder with a fake player `name`; `body` is the script after the recording lines.
  static func fakePlayer(_ name: String, body: String = "exec sleep 30", in dir: String? = nil) throws -> String {
    let folder = dir ?? NSTemporaryDirectory() + "midigen-player-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let script = """
      #!/bin/sh
      echo "$@" > "\(folder)/\(name).args"
      echo $$ > "\(folder)/\(name).pid"
      \(body)

      """
    let path = folder + "/" + name
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return folder
  }

  static func wav(in dir: String) throws -> String {
    let path = dir + "/tone.wav"
    try WAV.write([0, 0.1, 0.2], sampleRate: 8000, to: path)
    return path
  }

  /// Polls until `path` exists with content (the fake player started), at most 5 s.
  static func waitForFile(_ path: String) -> String? {
    for _ in 0..<500 {
      if let d = FileManager.default.contents(atPath: path), !d.isEmpty, let s = String(data: d, encoding: .utf8),
         s.hasSuffix("\n") {
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
      }
      usleep(10_000)
    }
    return nil
  }

  @Test func noPlayerNamesWhatToInstall() throws {
    let dir = NSTemporaryDirectory() + "midigen-noplayer-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let player = AudioPlayer(searchPath: dir)
    #expect(player.findProgram() == nil)
    do {
      try player.play(try Self.wav(in: dir))
      Issue.record("expected an error")
    } catch {
      let text = "\(error)"
      #expect(text.contains("no audio player found on PATH"))
      #expect(text.contains("pipewire-bin") && text.contains("pulseaudio-utils") && text.contains("alsa-utils"))
    }
  }

  @Test func prefersPipeWireThenPulseThenALSA() throws {
    let dir = try Self.fakePlayer("aplay")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let player = AudioPlayer(searchPath: "/nonexistent:" + dir)
    #expect(player.findProgram()?.program.name == "aplay")
    _ = try Self.fakePlayer("paplay", in: dir)
    #expect(player.findProgram()?.program.name == "paplay")
    _ = try Self.fakePlayer("pw-play", in: dir)
    #expect(player.findProgram()?.path == dir + "/pw-play")
  }

  @Test func playsInTheBackgroundAndStopEndsIt() throws {
    let dir = try Self.fakePlayer("aplay")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let player = AudioPlayer(searchPath: dir)
    let wav = try Self.wav(in: dir)
    let started = Date()
    #expect(try player.play(wav) == "aplay")
    #expect(Date().timeIntervalSince(started) < 5)  // returned while the player runs (it sleeps 30 s)
    #expect(Self.waitForFile(dir + "/aplay.args") == "-q " + wav)
    let pid = try #require(Self.waitForFile(dir + "/aplay.pid").flatMap { pid_t($0) })
    #expect(player.isPlaying)
    #expect(kill(pid, 0) == 0)
    #expect(player.stop())
    #expect(!player.isPlaying)
    #expect(kill(pid, 0) != 0)  // killed and reaped
    #expect(!player.stop())
    #expect(FileManager.default.fileExists(atPath: wav))  // not owned: kept
  }

  @Test func playStopsThePreviousSoundAndRemovesOwnedFiles() throws {
    let dir = try Self.fakePlayer("pw-play")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let player = AudioPlayer(searchPath: dir)
    let first = try Self.wav(in: dir)
    try player.play(first, owned: true)
    let pid1 = try #require(Self.waitForFile(dir + "/pw-play.pid").flatMap { pid_t($0) })
    try FileManager.default.removeItem(atPath: dir + "/pw-play.pid")
    let second = dir + "/second.wav"
    try WAV.write([0, 0.1], sampleRate: 8000, to: second)
    try player.play(second, owned: true)
    #expect(kill(pid1, 0) != 0)
    #expect(!FileManager.default.fileExists(atPath: first))
    _ = Self.waitForFile(dir + "/pw-play.pid")
    player.stop()
    #expect(!FileManager.default.fileExists(atPath: second))
  }

  @Test func aPlayerThatFailsAtOnceIsAnError() throws {
    let dir = try Self.fakePlayer("paplay", body: "echo 'Connection failure: Connection refused' >&2; exit 1")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let player = AudioPlayer(searchPath: dir)
    player.startupWait = 3
    do {
      try player.play(try Self.wav(in: dir))
      Issue.record("expected an error")
    } catch {
      let text = "\(error)"
      #expect(text.contains("paplay failed (exit status 1): Connection failure: Connection refused"))
      #expect(text.contains("audio device"))
    }
    #expect(!player.isPlaying)
  }
}
