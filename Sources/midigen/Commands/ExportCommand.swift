import Files
import Foundation
import Notebook
import Plot

/// `midigen export NB.mgnb [--html OUT.html] [--allow-outside]`: writes the notebook as one self-contained
/// HTML page (markdown rendered, code, outputs, displayed charts as SVG, a player for every displayed
/// melody, saved files embedded). The page goes to OUT.html, or beside the notebook with the extension
/// `.html`; it is written atomically, never over the notebook or over a file midigen did not write.
/// Exit 0 on success, 1 when a saved file could not be read (the page is still written), 2 for usage
/// errors, refused destinations and notebooks that cannot be read or parsed.
func exportCommand(_ argv: [String]) -> Int32 {
  let usage = """
    usage: midigen export NB.mgnb [--html OUT.html] [--allow-outside]
      --html OUT.html   where to write the page (default: the notebook's path with .html)
      --allow-outside   also embed files outside the notebook's folder (saved .svg/.wav, markdown images)
    """
  let args: Args
  do {
    args = try Args(argv, valued: ["html"])
    if args.flag("help") || args.flag("h") {
      print(usage)
      return 0
    }
    try args.rejectUnknown(flags: ["allow-outside"])
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
  do {
    try PageDestination.check(out, notebook: path)
  } catch {
    printError("midigen export: \(error)")
    return 2
  }
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
  var builder = NotebookPage(notebookPath: path, allowOutside: args.flag("allow-outside"))
  let page = builder.build(document, fileName: (path as NSString).lastPathComponent)
  var embedder = builder.embedder
  let html = page.render { embedder.image($0) }
  do {
    try AtomicFile.write(Array(html.utf8), to: out)
  } catch {
    printError("midigen export: \(error)")
    return 2
  }
  for w in builder.warnings { printError("midigen export: warning: \(w)") }
  let size = FileEmbedder.megabytes(html.utf8.count)
  printError(
    "\(out): \(page.cells.count) cells, \(builder.charts) charts, \(builder.players) players, \(size)")
  return builder.missingFiles == 0 ? 0 : 1
}
