import Foundation

/// Checks a session read from disk as strictly as a fresh file: a session folder is input like any
/// other (it can be copied, edited or crafted). Variable names must be identifiers that do not shadow a
/// built-in; values are checked for shape (records' names and values pair up, functions name built-ins,
/// nesting is bounded); object files must be plain files inside the session folder (no path leaves it,
/// no symbolic link). The objects' own contents are checked by their restorers (`Checkpoint.load`,
/// `MelodyLimits`, `DatasetObject.restore`).
enum SessionValidation {
  static let maxDepth = 64
  static let maxNameLength = 256

  static func check(_ m: SessionStore.Manifest, folder: String, restorers: Set<String>) throws {
    let builtins = Set(StandardLibrary().names)
    func fail(_ message: String) -> Error { NotebookError.session("the session '\(folder)': \(message)") }
    for (name, value) in m.variables {
      guard isIdentifier(name) else { throw fail("variable name \(quoted(name)) is not an identifier") }
      guard !builtins.contains(name) else {
        throw fail("variable '\(name)' would shadow the built-in \(name)() (delete the folder and run the notebook)")
      }
      try checkValue(value, depth: 0, folder: folder, builtins: builtins, restorers: restorers) {
        fail("variable '\(name)': \($0)")
      }
    }
  }

  static func checkValue(_ v: SessionStore.StoredValue, depth: Int, folder: String, builtins: Set<String>,
                         restorers: Set<String>, fail: (String) -> Error) throws {
    guard depth <= maxDepth else { throw fail("values nested more than \(maxDepth) deep") }
    switch v {
    case .nothing, .bool, .int, .float, .string, .text, .range: return
    case .function(let f):
      guard builtins.contains(f) else { throw fail("function \(quoted(f)) is not a built-in") }
    case .list(let items):
      for i in items { try checkValue(i, depth: depth + 1, folder: folder, builtins: builtins, restorers: restorers, fail: fail) }
    case .record(_, let names, let values, _):
      guard names.count == values.count else {
        throw fail("a record has \(names.count) field names but \(values.count) values")
      }
      guard Set(names).count == names.count else { throw fail("a record repeats a field name") }
      for n in names where !isIdentifier(n) { throw fail("record field \(quoted(n)) is not an identifier") }
      for i in values { try checkValue(i, depth: depth + 1, folder: folder, builtins: builtins, restorers: restorers, fail: fail) }
    case .object(let type, let fields):
      guard restorers.contains(type) else { throw fail("unknown stored type \(quoted(type))") }
      if let file = fields["file"] {
        guard isPlainName(file), isRegularFile(folder + "/" + file) else {
          throw fail("file \(quoted(file)) is not a regular file inside the session folder")
        }
      }
    }
  }

  /// A name of the language: a letter or `_`, then letters, digits or `_`, not `true`/`false`.
  static func isIdentifier(_ s: String) -> Bool {
    guard let f = s.unicodeScalars.first, s.unicodeScalars.count <= maxNameLength,
      f == "_" || f.properties.isAlphabetic, s != "true", s != "false"
    else { return false }
    return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
  }

  /// A file name without folders, not hidden, not `.`/`..`.
  static func isPlainName(_ s: String) -> Bool {
    !s.isEmpty && s.count <= 255 && !s.contains("/") && !s.hasPrefix(".") && !s.contains("\0")
  }

  /// A regular file (not a link, not a folder) at `path`: objects' restorers read only such files.
  static func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
  }

  static func quoted(_ s: String) -> String {
    "'" + (s.count <= 60 ? s : String(s.prefix(60)) + "…") + "'"
  }
}
