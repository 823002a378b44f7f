import Files
import Foundation
import Notebook
import Plot
import Sound

/// `midigen export NB.mgnb [--html OUT.html]`: writes the notebook as one self-contained HTML page
/// (markdown rendered, code, outputs, saved charts inline, saved WAV files as audio players). The page
/// goes to OUT.html, or beside the notebook with the extension `.html`; it is written atomically.
/// Exit 0 on success, 1 when a saved file could not be embedded (the page is still written), 2 for usage
/// errors and notebooks that cannot be read or parsed.
func exportCommand(_ argv: [String]) -> Int32 {
  let usage = """
    usage: midigen export NB.mgnb [--html OUT.html]
      --html OUT.html  where to write the page (default: the notebook's path with .html)
    """
  let args: Args
  do {
    args = try Args(argv, valued: ["html"])
    if args.flag("help") || args.flag("h") {
      print(usage)
      return 0
    }
    try args.rejectUnknown(flags: [])
  } catch {
    printError("midigen export: \(error)\n\(usage)")
    return 2
  }
  guard args.positional.count == 1 else {
    printError("midigen export: expected one notebook path\n\(usage)")
    return 2
  }
  let path = args.positional[0]
  let out = args.value("html") ?? ((path as NSString).deletingPathExtension + ".html")
  guard let data = FileManager.default.contents(atPath: path) else {
    printError("midigen export: cannot read \(path)")
    return 2
  }
  guard let text = String(data: data, encoding: .utf8) else {
    printError("\(path): error: not UTF-8 text")
    return 2
  }
  let document: NotebookDocument
  do {
    document = try NotebookDocument.parse(text, file: path)
  } catch let d as Diagnostic {
    printError(d.render(file: path, lines: diagnosticLines(text)))
    return 2
  } catch {
    printError("midigen export: \(path): \(error)")
    return 2
  }
  let page = NotebookPage.build(
    document, baseDirectory: (path as NSString).deletingLastPathComponent,
    fileName: (path as NSString).lastPathComponent)
  do {
    try AtomicFile.write(Array(page.render().utf8), to: out)
  } catch {
    printError("midigen export: \(error)")
    return 2
  }
  var missing = 0
  var charts = 0
  var players = 0
  for case .code(_, _, let outputs, _, _) in page.cells {
    for o in outputs {
      switch o {
      case .svg: charts += 1
      case .audio: players += 1
      case .missing(let name, let reason):
        missing += 1
        printError("midigen export: warning: \(name): \(reason)")
      case .text: break
      }
    }
  }
  printError("\(out): \(page.cells.count) cells, \(charts) charts, \(players) audio players")
  return missing == 0 ? 0 : 1
}
