import Files

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT (Ctrl-C), SIGTERM and SIGHUP during `midigen run`: the first one is recorded and long work stops
/// at its next safe point (a training step, a sampling segment, a loop iteration, the next statement); the
/// run then writes the notebook and the session and exits 128 + the signal (130, 143, 129). A second
/// signal ends the process at once after removing the temporary files of saves in progress (the notebook
/// is replaced atomically, so even that leaves a whole file).
enum RunSignals {
  /// The first signal received (0: none). Written only by the handler.
  nonisolated(unsafe) static var received: Int32 = 0

  static func install() {
    // A parent may have started us with these blocked (a spawning thread of a Dispatch pool blocks
    // them): unblock, or they would stay pending until the run ends.
    var set = sigset_t()
    sigemptyset(&set)
    for s in [SIGINT, SIGTERM, SIGHUP] {
      signal(s, handler)
      sigaddset(&set, s)
    }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  static let handler: @convention(c) (Int32) -> Void = { sig in
    if RunSignals.received == 0 {
      RunSignals.received = sig
    } else {
      // A second signal: remove the temporary files of saves in progress (async-signal-safe) and end now.
      AtomicFile.removeTemporaries()
      _exit(128 + sig)
    }
  }

  static var cancelled: Bool { received != 0 }

  /// "SIGINT", "SIGTERM", "SIGHUP".
  static var name: String {
    switch received {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(received)"
    }
  }
}
