import Foundation
import Plot

/// Where `export` may write a page: a `.html`/`.htm` path that is not the notebook (after resolving
/// links) and is either new or a page an earlier `midigen export` wrote (it carries
/// `HTMLPage.generatorMarker` in its head). Anything else is refused before the page is built.
enum PageDestination {
  struct Refusal: Error, CustomStringConvertible {
    let description: String
  }

  static func check(_ out: String, notebook: String) throws {
    let ext = (out as NSString).pathExtension.lowercased()
    guard ext == "html" || ext == "htm" else {
      throw Refusal(description: "refusing to write the page to '\(out)': the page's name must end in .html")
    }
    let fm = FileManager.default
    if let notebookReal = FileEmbedder.realPath(notebook), let outReal = FileEmbedder.realPath(out),
      notebookReal == outReal
    {
      throw Refusal(description: "refusing to write the page over the notebook '\(notebook)'")
    }
    var isLink = false
    if let attributes = try? fm.attributesOfItem(atPath: out) {
      isLink = attributes[.type] as? FileAttributeType == .typeSymbolicLink
      guard !isLink, attributes[.type] as? FileAttributeType == .typeRegular else {
        throw Refusal(description: "refusing to write the page to '\(out)': it exists and is not a regular file")
      }
      guard let handle = FileHandle(forReadingAtPath: out) else {
        throw Refusal(description: "refusing to write the page to '\(out)': it exists and cannot be read")
      }
      defer { try? handle.close() }
      let head = String(decoding: handle.readData(ofLength: 4096), as: UTF8.self)
      guard head.contains(HTMLPage.generatorMarker) else {
        throw Refusal(
          description: "refusing to overwrite '\(out)': it exists and is not a page midigen export wrote"
            + " (remove it or choose another name)")
      }
    }
  }
}
