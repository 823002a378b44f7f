#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Notebook

/// `midigen run NB.mgnb [--cell N|TITLE | --stale] [-p name=value ...] [--check] [--keep-going] [--timing]
/// [--no-wait] [--threads N]`
///
/// Runs the notebook's code cells top to bottom (or one cell, or the stale ones, against the saved
/// session), merging each cell's output into the file as it is on disk (see `NotebookStore`). Exit 0 when
/// every cell ran, 1 when a cell failed (or `--check` found a difference), 2 for usage errors, notebooks
/// that do not parse and a busy notebook with `--no-wait`, 128 + N after signal N (130 Ctrl-C, 143
/// SIGTERM, 129 SIGHUP).
func runCommand(_ argv: [String]) -> Int32 {
  let usage = """
    usage: midigen run NB.mgnb [--cell N|TITLE | --stale] [-p name=value ...] [--check] [--keep-going]
                               [--timing] [--no-wait] [--threads N]
      --cell N|TITLE  re-run one code cell (number among code cells, or title) against the saved session
      --stale         run only the cells that are not up to date (stale, never run, failed, overridden)
      -p name=value   override an assignment of the cell titled `parameters` (repeatable; recorded)
      --check         run with files saved to a scratch folder; exit 1 with a diff if the notebook or a
                      saved file would change (nothing else is written, the session included)
      --keep-going    run the remaining cells after a failing one
      --timing        record each cell's duration in its output header
      --no-wait       fail at once if another midigen is running this notebook (default: wait)
      --threads N     threads for training and sampling
    """
  let args: Args
  do {
    args = try Args(argv, valued: ["p", "cell", "threads"])
    if args.flag("help") || args.flag("h") {
      print(usage)
      return 0
    }
    try args.rejectUnknown(flags: ["check", "keep-going", "timing", "stale", "no-wait"])
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
  options.stale = args.flag("stale")
  options.keepGoing = args.flag("keep-going")
  options.timing = args.flag("timing")
  options.noWait = args.flag("no-wait")
  let check = args.flag("check")
  options.write = !check
  let threads: Int?
  do {
    if options.cell != nil && options.stale { throw ArgsError("give --cell or --stale, not both") }
    options.parameters = try ParameterOverrides.parse(args.values("p"))
    threads = args.value("threads") == nil ? nil : try args.int("threads", default: 0, in: 1...256)
    if let t = threads, t < 1 { throw ArgsError("--threads must be >= 1") }
  } catch {
    printError("midigen run: \(error)")
    return 2
  }
  var scratch: String? = nil
  if check {
    let folder = NSTemporaryDirectory() + "midigen-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    scratch = folder
    options.scratchFolder = folder
  }

  RunSignals.install()
  let progress = ProgressBar()
  let env = ExecutionEnvironment(
    baseDirectory: (path as NSString).deletingLastPathComponent, threads: threads,
    progress: { progress.update($0) }, isCancelled: { RunSignals.cancelled })
  let runner = NotebookRunner(path: path, environment: env, library: StandardLibrary.full())
  runner.onWait = { printError("midigen run: \($0)") }
  let single = options.cell != nil
  runner.onCell = { report in
    progress.clear()
    if single {
      // --cell X: X's output is the answer.
      if !report.output.isEmpty { printOut(report.output) }
      return
    }
    if let error = report.error { printError(error) }
    let state = report.interrupted ? "interrupted" : report.failed ? "error" : "ok"
    var line = "cell \(report.name): \(state)"
    if progress.enabled { line += " (" + String(format: "%.1f", report.seconds) + " s)" }
    printOut(line)
  }
  let result: RunResult
  do {
    result = try runner.run(options)
  } catch NotebookError.format(let rendered) {
    printError(rendered)
    return 2
  } catch {
    printError("midigen run: \(error)")
    if let scratch { removeFolder(scratch) }
    return RunSignals.cancelled ? 128 + RunSignals.received : 2
  }
  progress.clear()
  if let warning = result.sessionError { printError("midigen run: warning: \(warning)") }
  if let problem = result.writeError { printError("midigen run: the notebook was not written: \(problem)") }
  let failed = result.reports.filter(\.failed)
  let ran = result.reports.count
  if !single {
    for i in result.notRun {
      let n = result.document.codeNumber(ofCell: i) ?? 0
      let name = result.document.cells[i].title.map { "\(n) (\($0))" } ?? "\(n)"
      printOut("cell \(name): not run")
    }
  }
  if let scratch { return checkReport(path, result, scratch: scratch) }
  if result.interrupted {
    let at = result.reports.last(where: \.interrupted).map { " in cell " + $0.name } ?? ""
    printError("\(path): interrupted (\(RunSignals.name))\(at); \(cells(ran)) ran; the notebook and the session "
      + "hold what was reached")
    return 128 + RunSignals.received
  }
  if ran == 0 && options.stale {
    printError("\(path): every code cell is up to date; nothing ran")
    return 0
  }
  if failed.isEmpty {
    let total = result.document.codeCellIndices.count
    let what = options.cell != nil || options.stale || ran != total ? cells(ran)
      : total == 1 ? "the code cell" : "all \(total) code cells"
    printError("\(path): \(what) ran" + (options.parameters.isEmpty ? "" : " (with -p, recorded in the outputs)"))
    return result.writeError == nil ? 0 : 1
  }
  let names = failed.map { "cell " + $0.name }.joined(separator: ", ")
  printError("\(path): \(cells(ran)) ran, \(failed.count) failed (\(names))")
  return 1
}

/// "1 code cell", "3 code cells".
func cells(_ n: Int) -> String { "\(n) code cell\(n == 1 ? "" : "s")" }

/// `--check`: the notebook's diff and every saved file compared byte for byte with the real one.
func checkReport(_ path: String, _ result: RunResult, scratch: String) -> Int32 {
  var problems = 0
  let diff = LineDiff.unified(old: result.original, new: result.rendered, oldName: path,
                              newName: path + " (after running)")
  if !diff.isEmpty {
    printOut(diff)
    problems += 1
  }
  var seen = Set<String>()
  var same = 0, absent = 0
  for a in result.artifacts where seen.insert(a.path).inserted {
    let shown = (a.path as NSString).standardizingPath
    let mine = FileManager.default.contents(atPath: a.scratch)
    guard let theirs = FileManager.default.contents(atPath: a.path) else {
      absent += 1  // nothing to compare with (a git-ignored .wav on a fresh clone, say)
      continue
    }
    if mine != theirs {
      printOut("changed file: \(shown) (\(theirs.count) bytes, now \(mine?.count ?? 0); new copy: \(a.scratch))")
      problems += 1
    } else {
      same += 1
    }
  }
  var files = same == 0 ? "" : " and \(same) saved file\(same == 1 ? "" : "s")"
  if absent > 0 { files += " (\(absent) saved file\(absent == 1 ? "" : "s") absent, not compared)" }
  if problems == 0 && !result.failed && !result.interrupted {
    removeFolder(scratch)
    printError("midigen run --check: \(path)\(files) reproduced byte for byte (\(cells(result.reports.count)) ran)")
    return 0
  }
  if seen.isEmpty || problems == 0 { removeFolder(scratch) }
  if result.interrupted { return 128 + RunSignals.received }
  if problems == 0 {
    printError("midigen run --check: \(path): a cell failed")
  } else {
    printError("midigen run --check: \(path) would change" + (problems > (diff.isEmpty ? 0 : 1)
      ? "; the new saved files are in \(scratch)" : ""))
  }
  return 1
}

func removeFolder(_ path: String) {
  do { try FileManager.default.removeItem(atPath: path) } catch {}  // absent when nothing was saved
}

/// Writes a line to standard output unbuffered (in order with the progress bar and stderr).
func printOut(_ s: String) {
  FileHandle.standardOutput.write(Data((s + "\n").utf8))
}
