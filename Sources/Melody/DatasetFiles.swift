import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Expands a dataset path: a file (taken as is, whatever its extension), a directory (its MIDI
/// files, recursively), or a glob pattern (`data/*/bwv1*.mid`, POSIX `glob`: no `**`) whose
/// matching MIDI files and directories (expanded) are taken. MIDI files are those ending in
/// .mid, .midi, .kar, .rmi or .smf (any case); ABC files (.abc) are taken too. Sorted by path.
enum DatasetFiles {
  static let extensions: Set<String> = ["mid", "midi", "kar", "rmi", "smf", "abc"]

  static func expand(_ path: String) throws -> [String] {
    if path.contains(where: { "*?[".contains($0) }) {
      var out: [String] = []
      for match in try glob(path) {
        if isDirectory(match) {
          out += try directory(match)
        } else if isMIDIName(match) {
          out.append(match)
        }
      }
      return out.sorted()
    }
    guard FileManager.default.fileExists(atPath: path) else {
      throw MelodyError.io(path: path, message: "no such file or directory")
    }
    if isDirectory(path) { return try directory(path) }
    return [path]
  }

  static func isMIDIName(_ name: String) -> Bool {
    guard let dot = name.lastIndex(of: ".") else { return false }
    return extensions.contains(name[name.index(after: dot)...].lowercased())
  }

  static func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }

  /// MIDI files under `path`, recursively (symbolic links are not followed into directories).
  static func directory(_ path: String) throws -> [String] {
    var out: [String] = []
    let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    try walk(base, into: &out, depth: 0)
    return out.sorted()
  }

  private static func walk(_ dir: String, into out: inout [String], depth: Int) throws {
    guard depth < 64 else { return }
    guard let d = opendir(dir) else {
      throw MelodyError.io(path: dir, message: "cannot list directory: \(String(cString: strerror(errno)))")
    }
    defer { closedir(d) }
    while let entry = readdir(d) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name == "." || name == ".." { continue }
      let full = dir + "/" + name
      var type = Int32(entry.pointee.d_type)
      if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
        var st = stat()
        guard stat(full, &st) == 0 else { continue }
        type = (st.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : Int32(DT_REG)
        if entry.pointee.d_type == UInt8(DT_LNK) && type == Int32(DT_DIR) { continue }
      }
      if type == Int32(DT_DIR) {
        try walk(full, into: &out, depth: depth + 1)
      } else if isMIDIName(name) {
        out.append(full)
      }
    }
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
