import Foundation
import Notebook

/// `midigen status NB.mgnb`: lists stale, failed and never-run code cells.
/// Exit 0 when every code cell's output is up to date, 1 when some are not, 2 for usage or format errors.
func statusCommand(_ argv: [String]) -> Int32 {
  let usage = "usage: midigen status NB.mgnb\n  lists code cells whose output is stale (source edited), failed or missing"
  let args: Args
  do {
    args = try Args(argv, valued: [])
    if args.flag("help") || args.flag("h") {
      print(usage)
      return 0
    }
    try args.rejectUnknown(flags: [])
  } catch {
    printError("midigen status: \(error)\n\(usage)")
    return 2
  }
  guard args.positional.count == 1 else {
    printError("midigen status: expected one notebook path\n\(usage)")
    return 2
  }
  let path = args.positional[0]
  do {
    let text = try NotebookFile.read(path)
    do {
      let doc = try NotebookDocument.parse(text, file: path)
      print(NotebookStatus.report(doc))
      return NotebookStatus.entries(doc).allSatisfy { $0.state == .upToDate } ? 0 : 1
    } catch let d as Diagnostic {
      printError(d.render(file: path, lines: diagnosticLines(text)))
      return 2
    }
  } catch {
    printError("midigen status: \(error)")
    return 2
  }
}
