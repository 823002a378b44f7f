import Foundation
import Notebook
import Plot

/// Turns a parsed notebook into an `HTMLPage`: markdown cells as text, code cells with their source
/// and output, and every `.svg` / `.wav` file named by an output line `saved: PATH` embedded right after
/// that line. Relative paths resolve against `baseDirectory` (the notebook's folder), as when the notebook ran.
enum NotebookPage {
  static func build(_ document: NotebookDocument, baseDirectory: String, fileName: String) -> HTMLPage {
    var cells: [HTMLPage.Cell] = []
    for cell in document.cells {
      switch cell.kind {
      case .markdown:
        cells.append(.markdown(cell.source))
      case .code:
        let outputs =
          cell.output.map { text in
            HTMLPage.outputs(fromText: text) { embed($0, ext: $1, baseDirectory: baseDirectory) }
          } ?? []
        cells.append(
          .code(
            title: cell.title, source: cell.trimmedSource, outputs: outputs,
            failed: cell.outputBlock?.failed ?? false, stale: cell.isStale))
      }
    }
    return HTMLPage(title: title(document) ?? fileName, cells: cells)
  }

  /// The text of the first `# heading` in a markdown cell, if any.
  static func title(_ document: NotebookDocument) -> String? {
    for cell in document.cells where cell.kind == .markdown {
      for line in cell.source.split(separator: "\n") where line.hasPrefix("# ") {
        let t = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { return t }
      }
    }
    return nil
  }

  static func embed(_ path: String, ext: String, baseDirectory: String) -> HTMLPage.Output {
    let resolved = path.hasPrefix("/") || baseDirectory.isEmpty ? path : baseDirectory + "/" + path
    guard let data = FileManager.default.contents(atPath: resolved) else {
      return .missing(name: path, reason: "cannot read \(resolved) (run the notebook again to recreate it)")
    }
    if ext == "wav" { return .audio(name: path, wav: [UInt8](data)) }
    guard let svg = String(data: data, encoding: .utf8) else {
      return .missing(name: path, reason: "not UTF-8 text")
    }
    return .svg(name: path, document: svg)
  }
}
