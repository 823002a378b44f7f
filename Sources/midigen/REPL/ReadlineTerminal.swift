#if canImport(Glibc)
import Glibc
#endif
@preconcurrency import CReadline
import Foundation
import Notebook

/// State shared with C callbacks (signal handler, completion), which cannot capture context.
enum ReplSignals {
  /// Set by Ctrl-C while a cell runs; the training progress callback reads it and stops at the next step.
  nonisolated(unsafe) static var interrupted = false
  /// True while readline waits for input: Ctrl-C then clears the line instead.
  nonisolated(unsafe) static var atPrompt = false
  nonisolated(unsafe) static var engine: ReplEngine? = nil
  nonisolated(unsafe) static var matches: [String] = []
  nonisolated(unsafe) static var matchIndex = 0
}

/// The interactive REPL on a terminal: readline editing, history, completion, Ctrl-C handling.
enum ReadlineTerminal {
  static var historyPath: String {
    (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.midigen_history"
  }

  static func run(_ engine: ReplEngine, progress: ProgressBar) {
    ReplSignals.engine = engine
    rl_catch_signals = 0
    rl_readline_name = UnsafePointer(strdup("midigen"))
    rl_attempted_completion_function = complete
    read_history(historyPath)
    signal(SIGINT, onInterrupt)
    defer {
      write_history(historyPath)
      signal(SIGINT, SIG_DFL)
    }
    while true {
      ReplSignals.atPrompt = true
      ReplSignals.interrupted = false
      guard let raw = readline(engine.prompt) else {
        print("")
        return
      }
      ReplSignals.atPrompt = false
      let line = String(cString: raw)
      free(raw)
      if ReplSignals.interrupted {
        // Ctrl-C at the prompt cleared the line; also drop an unfinished input.
        engine.cancelInput()
      }
      if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(line) }
      ReplSignals.interrupted = false
      switch engine.feed(line) {
      case .more: continue
      case .quit: return
      case .output(let text):
        progress.clear()
        if !text.isEmpty { print(text) }
      }
    }
  }

  /// SIGINT: at the prompt, clear the line and show a fresh prompt; while running, flag the interruption.
  static let onInterrupt: @convention(c) (Int32) -> Void = { _ in
    ReplSignals.interrupted = true
    guard ReplSignals.atPrompt else { return }
    _ = Glibc.write(STDOUT_FILENO, "\n", 1)
    // An unfinished input is dropped when readline returns (see `run`): show the main prompt again.
    _ = rl_set_prompt("midigen> ")
    rl_on_new_line()
    rl_replace_line("", 0)
    rl_redisplay()
  }

  static let complete: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    guard let text else { return nil }
    let prefix = String(cString: text)
    // The line before the word (for the labels of the call it is in).
    var before = ""
    if let line = rl_line_buffer, start > 0 {
      before = String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(line).assumingMemoryBound(to: UInt8.self),
                                                    count: Int(start)), as: UTF8.self)
    }
    ReplSignals.matches = ReplSignals.engine?.completions(for: prefix, before: before) ?? []
    // A space after a completed label, nothing after a name (so `.` or `(` can follow it directly).
    rl_completion_append_character = ReplSignals.matches.allSatisfy { $0.hasSuffix(":") } ? 32 : 0
    ReplSignals.matchIndex = 0
    if ReplSignals.matches.isEmpty { return nil }  // readline falls back to file names (paths in strings)
    rl_attempted_completion_over = 1
    return rl_completion_matches(text, generator)
  }

  static let generator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in
    guard ReplSignals.matchIndex < ReplSignals.matches.count else { return nil }
    let m = ReplSignals.matches[ReplSignals.matchIndex]
    ReplSignals.matchIndex += 1
    return strdup(m)
  }
}
