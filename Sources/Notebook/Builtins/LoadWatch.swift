import Foundation

/// Progress and interruption of `load` from its loading threads: reports are serialized by a lock.
final class LoadWatch: @unchecked Sendable {
  let env: ExecutionEnvironment
  let lock = NSLock()
  var done = 0
  init(_ env: ExecutionEnvironment) { self.env = env }

  /// Counts a file about to be read; false when the user interrupted.
  func next(_ total: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    env.progress(ProgressReport(task: "load", step: done, total: total))
    done += 1
    return !env.isCancelled()
  }
}
