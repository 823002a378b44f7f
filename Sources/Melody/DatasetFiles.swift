#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Expands a dataset path: a file (taken as is), a directory (its MIDI files, recursively), or a
/// glob pattern (`data/*/bwv1*.mid`; matching directories are expanded too). Sorted by path.
enum DatasetFiles {
  static let extensions: Set<String> = ["mid", "midi", "kar", "rmi", "smf"]

  static func expand(_ path: String) throws -> [String] {
    if path.contains(where: { "*?[".contains($0) }) {
      var out: [String] = []
      for match in try glob(path) {
        if isDirectory(match) { out += try directory(match) } else { out.append(match) }
      }
      return out.sorted()
    }
    guard FileManager.default.fileExists(atPath: path) else {
      throw MelodyError.io(path: path, message: "no such file or directory")
    }
    if isDirectory(path) { return try directory(path) }
    return [path]
  }

  static func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }

  static func directory(_ path: String) throws -> [String] {
    guard let e = FileManager.default.enumerator(atPath: path) else {
      throw MelodyError.io(path: path, message: "cannot list directory")
    }
    var out: [String] = []
    let base = path.hasSuffix("/") ? String(path.dropLast()) : path
    while let rel = e.nextObject() as? String {
      let ext = (rel as NSString).pathExtension.lowercased()
      if extensions.contains(ext) {
        let full = base + "/" + rel
        if !isDirectory(full) { out.append(full) }
      }
    }
    return out.sorted()
  }

  static func glob(_ pattern: String) throws -> [String] {
    var g = glob_t()
    defer { globfree(&g) }
    let rc = Glibc.glob(pattern, 0, nil, &g)
    if rc == GLOB_NOMATCH { return [] }
    guard rc == 0 else { throw MelodyError.io(path: pattern, message: "glob failed (\(rc))") }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
      if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
    }
    return out
  }
}
