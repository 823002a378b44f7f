#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// midigen command-line entry point: dispatches to one file per command under `Commands/`.
/// Each command takes its arguments (without the command name) and returns an exit status.
let commands: [(name: String, summary: String, run: ([String]) -> Int32)] = [
  ("run", "run a notebook (all cells, or one with --cell)", runCommand),
  ("status", "list stale and never-run cells of a notebook", statusCommand),
  ("repl", "interactive session (optionally on a notebook)", replCommand),
  ("export", "export a notebook as a self-contained HTML page", exportCommand),
  ("inspect", "describe MIDI files (files, directories, globs)", inspectCommand),
  ("bench", "benchmarks: load | train | sample | gemm | render", benchCommand),
]

@MainActor func usage() -> String {
  var s = "usage: midigen <command> [options]\n\ncommands:\n"
  for c in commands { s += "  " + c.name.padding(toLength: 10, withPad: " ", startingAt: 0) + c.summary + "\n" }
  s += "\n`midigen <command> --help` for a command's options.\n"
  return s
}

let argv = Array(CommandLine.arguments.dropFirst())
guard let first = argv.first else {
  FileHandle.standardError.write(usage().data(using: .utf8)!)
  exit(2)
}
if first == "--help" || first == "-h" || first == "help" {
  print(usage(), terminator: "")
  exit(0)
}
guard let command = commands.first(where: { $0.name == first }) else {
  FileHandle.standardError.write("midigen: unknown command '\(first)'\n\n\(usage())".data(using: .utf8)!)
  exit(2)
}
exit(command.run(Array(argv.dropFirst())))
