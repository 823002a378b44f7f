import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Plays WAV files through the first system audio player found on `PATH`, in the background.
///
/// Candidates, in order: `pw-play` (PipeWire), `paplay` (PulseAudio), `aplay` (ALSA), `afplay` (macOS).
/// `play` spawns the player (posix_spawn, in its own process group so Ctrl-C in the REPL does not reach
/// it; stdin and stdout on /dev/null, stderr to a temporary file) and returns once it is running; a player
/// that fails within `startupWait` (no audio device, no sound server) is an error carrying what it wrote.
/// `stop` kills it. One sound at a time: `play` stops the previous one first. Thread-safe.
public final class AudioPlayer: @unchecked Sendable {
  /// A player program and the arguments it needs before the file name.
  public struct Program: Sendable, Equatable {
    public var name: String
    public var arguments: [String]
  }

  public static let programs: [Program] = [
    Program(name: "pw-play", arguments: []), Program(name: "paplay", arguments: []),
    Program(name: "aplay", arguments: ["-q"]), Program(name: "afplay", arguments: []),
  ]

  /// What to install when no player is found.
  public static let installHint =
    "no audio player found on PATH (looked for pw-play, paplay, aplay, afplay): install one, e.g."
    + " `apt-get install pipewire-bin` (pw-play), `pulseaudio-utils` (paplay) or `alsa-utils` (aplay);"
    + " macOS has afplay"

  /// The process-wide player the `play`/`stop` built-ins use.
  public static let shared = AudioPlayer()

  /// Folders searched for a player; nil: the `PATH` of the environment.
  public var searchPath: String? {
    get { lock.withLock { _searchPath } }
    set { lock.withLock { _searchPath = newValue } }
  }
  /// How long `play` waits for a player that fails at once (seconds).
  public var startupWait = 0.3

  private let lock = NSLock()
  private var _searchPath: String?
  private var pid: pid_t = 0
  private var ownedFile: String?

  public init(searchPath: String? = nil) { _searchPath = searchPath }

  /// Stops the shared player's sound when the process exits normally (it runs in its own process group,
  /// so it would otherwise outlive a REPL that quits while it plays).
  private static let stopAtExit: Void = { atexit { AudioPlayer.shared.stop() } }()

  public enum Failure: Error, CustomStringConvertible {
    case noPlayer
    case spawn(String, Int32)
    case failed(String, status: Int32, message: String)

    public var description: String {
      switch self {
      case .noPlayer: return AudioPlayer.installHint
      case .spawn(let name, let code): return "cannot start \(name): \(String(cString: strerror(code)))"
      case .failed(let name, let status, let message):
        let said = message.isEmpty ? "" : ": " + message
        return "\(name) failed (exit status \(status))\(said); is there an audio device (or a running sound"
          + " server)? Try `\(name)` on a WAV file outside midigen"
      }
    }
  }

  /// The first candidate program found in the search path, with its full path.
  public func findProgram() -> (program: Program, path: String)? {
    let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for program in AudioPlayer.programs {
      for dir in path.split(separator: ":", omittingEmptySubsequences: true) {
        let full = dir + "/" + program.name
        if access(full, X_OK) == 0 { return (program, full) }
      }
    }
    return nil
  }

  /// Whether a sound is playing (the player process is still running).
  public var isPlaying: Bool {
    lock.withLock { pid != 0 && !reapLocked(wait: false) }
  }

  /// Plays `wavFile` in the background, stopping what was playing. When `owned`, the file is deleted
  /// once it is no longer needed (at the next `play` or `stop`). Returns the player's name.
  @discardableResult
  public func play(_ wavFile: String, owned: Bool = false) throws -> String {
    guard let (program, path) = findProgram() else {
      if owned { unlink(wavFile) }
      throw Failure.noPlayer
    }
    if self === AudioPlayer.shared { AudioPlayer.stopAtExit }
    let errFile = NSTemporaryDirectory() + "midigen-player-\(getpid())-\(UUID().uuidString.prefix(8)).err"
    let child: pid_t
    do {
      child = try lock.withLock { () throws -> pid_t in
        stopLocked()
        ownedFile = owned ? wavFile : nil
        let child = try spawn(path, [program.name] + program.arguments + [wavFile], stderrTo: errFile)
        pid = child
        return child
      }
    } catch {
      unlink(errFile)
      throw error
    }
    defer { unlink(errFile) }
    // A player without a device or server fails at once: wait briefly for that.
    let deadline = Date().addingTimeInterval(startupWait)
    while Date() < deadline {
      var status: Int32 = 0
      let done: Bool = lock.withLock {
        guard pid == child else { return true }  // stopped meanwhile
        let r = waitpid(child, &status, WNOHANG)
        if r == child {
          pid = 0
          return true
        }
        return false
      }
      if done {
        let code = exitCode(status)
        if code != 0 {
          let message = FileManager.default.contents(atPath: errFile).map { String(decoding: $0, as: UTF8.self) } ?? ""
          lock.withLock { removeOwnedLocked() }
          throw Failure.failed(program.name, status: code, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        break
      }
      usleep(10_000)
    }
    return program.name
  }

  /// Stops the sound playing, if any. Returns whether one was playing.
  @discardableResult
  public func stop() -> Bool {
    lock.withLock { stopLocked() }
  }

  // MARK: - Private (called with the lock held)

  private func stopLocked() -> Bool {
    var wasPlaying = false
    if pid != 0 {
      if !reapLocked(wait: false) {
        wasPlaying = true
        kill(pid, SIGTERM)
        // A player that ignores SIGTERM gets SIGKILL after a second.
        var exited = false
        for _ in 0..<100 where !exited {
          exited = reapLocked(wait: false)
          if !exited { usleep(10_000) }
        }
        if !exited {
          kill(pid, SIGKILL)
          _ = reapLocked(wait: true)
        }
      }
      pid = 0
    }
    removeOwnedLocked()
    return wasPlaying
  }

  /// True when the player has exited (and is reaped).
  private func reapLocked(wait: Bool) -> Bool {
    guard pid != 0 else { return true }
    var status: Int32 = 0
    let r = waitpid(pid, &status, wait ? 0 : WNOHANG)
    if r == pid || r < 0 {
      pid = 0
      return true
    }
    return false
  }

  private func removeOwnedLocked() {
    if let f = ownedFile { unlink(f) }
    ownedFile = nil
  }

  private func exitCode(_ status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }

  private func spawn(_ path: String, _ argv: [String], stderrTo errFile: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Its own process group; no blocked signals and default handlers (the caller's threads may block
    // or catch SIGINT/SIGTERM), so `stop` can end it.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawnattr_setpgroup(&attributes, 0)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var child: pid_t = 0
    var code = posix_spawn(&child, path, &actions, &attributes, cArgs, environ)
    // ETXTBSY: another thread's fork still holds the executable open for writing (a player script just
    // written); that descriptor closes at the child's exec, so a short retry succeeds.
    var tries = 0
    while code == ETXTBSY && tries < 50 {
      tries += 1
      usleep(20_000)
      code = posix_spawn(&child, path, &actions, &attributes, cArgs, environ)
    }
    guard code == 0 else { throw Failure.spawn(argv[0], code) }
    return child
  }
}
