#if canImport(Glibc)
import Glibc
#endif
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
    if let notebookReal = FileEmbedder.realPath(notebook), let outReal = FileEmbedder.realPath(out),
      notebookReal == outReal
    {
      throw Refusal(description: "refusing to write the page over the notebook '\(notebook)'")
    }
    var st = stat()
    if lstat(out, &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFREG else {
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
