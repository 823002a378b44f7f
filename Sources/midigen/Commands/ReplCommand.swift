#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Notebook

/// `midigen repl [NB.mgnb]`: an interactive session, optionally on a notebook (its saved session is
/// restored; `:run` and `:keep` work on its cells). Uses readline (line editing, history in
/// `~/.midigen_history`, tab completion) when stdin is a terminal; otherwise reads plain lines, so it can
/// be scripted: `echo 'print(1 + 2)' | midigen repl`.
func replCommand(_ argv: [String]) -> Int32 {
  let usage = "usage: midigen repl [NB.mgnb] [--threads N] [--timing]"
  let args: Args
  do {
    args = try Args(argv, valued: ["threads"])
    if args.flag("help") || args.flag("h") {
      print(usage + "\n\n" + ReplEngine.commandHelp)
      return 0
    }
    try args.rejectUnknown(flags: ["timing"])
  } catch {
    printError("midigen repl: \(error)\n\(usage)")
    return 2
  }
  guard args.positional.count <= 1 else {
    printError("midigen repl: at most one notebook\n\(usage)")
    return 2
  }
  let path = args.positional.first
  let threads: Int?
  do {
    threads = args.value("threads") == nil ? nil : try args.int("threads", default: 2, in: 1...256)
    if let t = threads, t < 1 { throw ArgsError("--threads must be >= 1") }
  } catch {
    printError("midigen repl: \(error)")
    return 2
  }

  let interactive = isatty(STDIN_FILENO) == 1
  let progress = ProgressBar()
  var env = ExecutionEnvironment(
    baseDirectory: path.map { ($0 as NSString).deletingLastPathComponent } ?? "", threads: threads,
    progress: { progress.update($0) }, isCancelled: { ReplSignals.interrupted })
  env.timing = args.flag("timing")
  env.interactive = interactive  // play() sounds only for a person at a terminal
  let library = StandardLibrary()
  var session = Session()
  if let path {
    do {
      if let saved = try SessionStore(restorers: library.restorers).load(notebook: path) {
        session = saved
        if interactive { print("restored the session of \(path): \(saved.variables.count) variables") }
      }
    } catch {
      printError("midigen repl: \(error); starting an empty session")
    }
  }
  let interpreter = Interpreter(session: session, environment: env, builtins: library.builtins)
  let engine = ReplEngine(interpreter: interpreter, notebookPath: path, library: library)
  engine.onWait = { printError("midigen repl: \($0)") }

  guard interactive else {
    engine.loop(readLine: { Swift.readLine(strippingNewline: true) }, write: { text in
      progress.clear()
      FileHandle.standardOutput.write(text.data(using: .utf8) ?? Data())
    })
    return 0
  }
  engine.editor = editInEditor
  print("midigen repl: help() lists the built-ins, :help the commands, Ctrl-D leaves")
  ReadlineTerminal.run(engine, progress: progress)
  return 0
}

/// `:edit`: writes `text` to a temporary file, runs `$VISUAL` or `$EDITOR` (else `vi`) on it on this
/// terminal, and returns the saved text (nil when the editor failed).
func editInEditor(_ text: String) throws -> String? {
  let env = ProcessInfo.processInfo.environment
  let editor = env["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
  let file = NSTemporaryDirectory() + "midigen-cell-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).mg"
  try text.write(toFile: file, atomically: true, encoding: .utf8)
  defer { unlink(file) }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/bin/sh")
  p.arguments = ["-c", editor + " \"$1\"", "sh", file]
  try p.run()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { return nil }
  return try NotebookFile.read(file)
}
