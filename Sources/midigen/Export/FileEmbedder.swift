#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Plot

/// Which local files a page may embed, and reading them.
///
/// A path is resolved as the notebook resolved it (relative to the notebook's folder), then every
/// symbolic link in it is resolved (`realpath`). Only a regular file inside the notebook's folder tree
/// (after resolving links on both sides) is embedded, unless `allowOutside`; the size is checked before
/// reading. So a `saved:` line or an image naming `/home/me/.ssh/id_ed25519`, `../../secret` or a link
/// to either embeds nothing.
struct FileEmbedder {
  /// The notebook's folder, links resolved.
  let root: String
  /// The folder paths are resolved against (as written, for messages).
  let base: String
  let allowOutside: Bool
  /// Bytes of markdown images embedded so far, and their cache by real path.
  var imageBytes = 0
  var imageCache: [String: MarkdownRenderer.Image] = [:]

  static let maxImageBytes = 4 << 20
  static let maxTotalImageBytes = 16 << 20
  static let maxSVGBytes = 8 << 20
  /// WAV files larger than this are not embedded (players render displayed melodies from their notes).
  static let maxWAVBytes = 2 << 20

  init(notebookPath: String, allowOutside: Bool) {
    let dir = (notebookPath as NSString).deletingLastPathComponent
    base = dir
    root = FileEmbedder.realPath(dir.isEmpty ? "." : dir) ?? (dir.isEmpty ? "." : dir)
    self.allowOutside = allowOutside
  }

  static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// `path` as the notebook resolved it.
  func resolved(_ path: String) -> String {
    if path.hasPrefix("/") || base.isEmpty { return path }
    return base + "/" + path
  }

  enum Failure: Error, CustomStringConvertible {
    case missing(String)
    case outside(String)
    case notRegular(String)
    case tooLarge(String, Int, Int)
    case unreadable(String)

    var description: String {
      switch self {
      case .missing(let p): return "cannot read \(p) (run the notebook again to recreate it)"
      case .outside(let p): return "not embedded: \(p) is outside the notebook's folder (--allow-outside embeds it)"
      case .notRegular(let p): return "not embedded: \(p) is not a regular file"
      case .tooLarge(let p, let size, let limit):
        return "not embedded: \(p) has \(FileEmbedder.megabytes(size)), more than the \(FileEmbedder.megabytes(limit)) a page embeds"
      case .unreadable(let p): return "cannot read \(p)"
      }
    }
  }

  static func megabytes(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1_048_576) }

  /// The real path of `path` when the page may embed it, checking its size against `limit`.
  func check(_ path: String, limit: Int) -> Result<(real: String, size: Int), Failure> {
    let shown = resolved(path)
    guard let real = FileEmbedder.realPath(shown) else { return .failure(.missing(shown)) }
    if !allowOutside && !(real == root || real.hasPrefix(root == "/" ? "/" : root + "/")) {
      return .failure(.outside(path))
    }
    var st = stat()
    guard stat(real, &st) == 0 else { return .failure(.missing(shown)) }
    guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular(path)) }
    let size = Int(st.st_size)
    guard size <= limit else { return .failure(.tooLarge(path, size, limit)) }
    return .success((real, size))
  }

  /// The bytes of `path` when the page may embed it.
  func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
    switch check(path, limit: limit) {
    case .failure(let f): return .failure(f)
    case .success(let (real, _)):
      guard let data = FileManager.default.contents(atPath: real), data.count <= limit else {
        return .failure(.unreadable(path))
      }
      return .success([UInt8](data))
    }
  }

  /// A markdown image source as a `data:` URL: local PNG, JPEG, GIF, WebP (checked by their first bytes)
  /// or SVG (always as an image, never inline), within the size budget. Network images are not fetched.
  mutating func image(_ src: String) -> MarkdownRenderer.Image {
    let lower = src.lowercased()
    if lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("//") {
      return .refused(reason: "not embedded: the page loads nothing from the network")
    }
    if lower.hasPrefix("data:") || (lower.contains(":") && !lower.hasPrefix("./") && !lower.hasPrefix("/")) {
      return .refused(reason: "not embedded: only local files are")
    }
    let path = src.removingPercentEncoding ?? src
    let real: String
    switch check(path, limit: FileEmbedder.maxImageBytes) {
    case .failure(let f): return .refused(reason: f.description)
    case .success(let (r, size)):
      if let cached = imageCache[r] { return cached }
      guard imageBytes + size <= FileEmbedder.maxTotalImageBytes else {
        return .refused(reason: "not embedded: the page's images already take \(FileEmbedder.megabytes(imageBytes))")
      }
      real = r
    }
    guard let data = FileManager.default.contents(atPath: real) else {
      return .refused(reason: "cannot read \(path)")
    }
    let bytes = [UInt8](data)
    guard let mime = FileEmbedder.imageType(bytes, ext: (path as NSString).pathExtension.lowercased()) else {
      return .refused(reason: "not embedded: \(path) is not a PNG, JPEG, GIF, WebP or SVG image")
    }
    imageBytes += bytes.count
    let result = MarkdownRenderer.Image.embedded(dataURL: "data:\(mime);base64," + data.base64EncodedString())
    imageCache[real] = result
    return result
  }

  /// The MIME type of an image by its signature (SVG by extension and a `<svg` element).
  static func imageType(_ b: [UInt8], ext: String) -> String? {
    if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
    if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) {
      return "image/webp"
    }
    if ext == "svg", String(decoding: b.prefix(4096), as: UTF8.self).contains("<svg") { return "image/svg+xml" }
    return nil
  }
}
