#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Notebook

/// `midigen run NB.mgnb [--cell N|TITLE] [-p name=value ...] [--check] [--keep-going] [--timing] [--threads N]`
///
/// Runs the notebook's code cells top to bottom (or one cell against the saved session), writing each
/// cell's output into the file atomically as it finishes. Exit 0 when every cell ran, 1 when a cell failed
/// (or `--check` found a difference), 2 for usage errors and notebooks that do not parse.
func runCommand(_ argv: [String]) -> Int32 {
  let usage = """
    usage: midigen run NB.mgnb [--cell N|TITLE] [-p name=value ...] [--check] [--keep-going] [--timing]
                               [--threads N]
      --cell N|TITLE  re-run one code cell (number among code cells, or title) against the saved session
      -p name=value   override an assignment of the cell titled `parameters` (repeatable)
      --check         run without writing; exit 1 and print a diff if the file would change
      --keep-going    run the remaining cells after a failing one
      --timing        record each cell's duration in its output header
      --threads N     threads for training and sampling
    """
  let args: Args
  do {
    args = try Args(argv, valued: ["p", "cell", "threads"])
    if args.flag("help") || args.flag("h") {
      print(usage)
      return 0
    }
    try args.rejectUnknown(flags: ["check", "keep-going", "timing"])
  } catch {
    printError("midigen run: \(error)\n\(usage)")
    return 2
  }
  guard args.positional.count == 1 else {
    printError("midigen run: expected one notebook path\n\(usage)")
    return 2
  }
  let path = args.positional[0]
  var options = RunOptions()
  options.cell = args.value("cell")
  options.keepGoing = args.flag("keep-going")
  options.timing = args.flag("timing")
  options.write = !args.flag("check")
  let threads: Int?
  do {
    options.parameters = try ParameterOverrides.parse(args.values("p"))
    threads = args.value("threads") == nil ? nil : try args.int("threads", default: 0, in: 1...256)
    if let t = threads, t < 1 { throw ArgsError("--threads must be >= 1") }
  } catch {
    printError("midigen run: \(error)")
    return 2
  }

  let progress = ProgressBar()
  let env = ExecutionEnvironment(
    baseDirectory: (path as NSString).deletingLastPathComponent, threads: threads,
    progress: { progress.update($0) }, isCancelled: { false })
  let runner = NotebookRunner(path: path, environment: env, library: StandardLibrary.full())
  runner.onCell = { report in
    progress.clear()
    if let error = report.error {
      printError(error)
    } else if progress.enabled {
      printError("cell \(report.name): ok (" + String(format: "%.1f", report.seconds) + " s)")
    }
  }
  let result: RunResult
  do {
    result = try runner.run(options)
  } catch NotebookError.format(let rendered) {
    printError(rendered)
    return 2
  } catch {
    printError("midigen run: \(error)")
    return 2
  }
  progress.clear()
  if let warning = result.sessionError { printError("midigen run: warning: \(warning)") }
  let failed = result.reports.filter(\.failed)
  if !options.write {
    let diff = LineDiff.unified(old: result.original, new: result.rendered, oldName: path,
                                newName: path + " (after running)")
    if !diff.isEmpty {
      print(diff)
      printError("midigen run --check: \(path) would change")
      return 1
    }
    if !failed.isEmpty { return 1 }
    printError("midigen run --check: \(path) is up to date (\(result.reports.count) cells ran)")
    return 0
  }
  let ran = result.reports.count
  if failed.isEmpty {
    printError("\(path): \(ran) cell\(ran == 1 ? "" : "s") ran")
    return 0
  }
  let names = failed.map { "cell " + $0.name }.joined(separator: ", ")
  printError("\(path): \(ran) cell\(ran == 1 ? "" : "s") ran, \(failed.count) failed (\(names))")
  return 1
}
