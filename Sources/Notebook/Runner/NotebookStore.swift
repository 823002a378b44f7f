#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one owner of a notebook on disk, used by `midigen run` and the REPL alike (as SQLite keeps its
/// pager apart from its VM): reading, the advisory lock, merging outputs into the file *as it is now*,
/// and atomic replacement (`NotebookFile`).
///
/// Merge rule: a write never starts from the text the run read. It re-reads the file; when the file
/// changed since, each output goes to the code cell whose title and source are still those that ran
/// (cells are matched in order by a longest common subsequence of (title, source)); cells edited meanwhile
/// keep their old output, now stale, and cells added meanwhile are kept. A file that no longer parses is
/// not written (the user is mid-edit): the write fails with the diagnostic and the next write retries.
///
/// Lock: `flock` on `.NAME.lock` beside the notebook (beside its target, for a symbolic link). A run
/// holds it from start to end, so two runs of one notebook never interleave; the REPL takes it only for
/// each write. The holder's process id is written into the lock file for the waiting message.
public final class NotebookStore {
  /// The path as given (diagnostics name it).
  public let path: String
  /// The real file (the end of a chain of symbolic links).
  public let target: String
  private var lockFD: Int32 = -1
  private var lockDepth = 0
  /// The text last read or written by this store.
  public private(set) var lastText: String? = nil

  public init(path: String) throws {
    self.path = path
    self.target = try NotebookFile.resolvedTarget(path)
  }

  deinit {
    if lockFD >= 0 { close(lockFD) }
  }

  public var fileName: String { (path as NSString).lastPathComponent }

  /// `.NAME.lock` beside the real file.
  public var lockPath: String {
    let dir = (target as NSString).deletingLastPathComponent
    return (dir.isEmpty ? "" : dir + "/") + "." + (target as NSString).lastPathComponent + ".lock"
  }

  /// One output to merge: the cell (index in the document the run read) and what `setOutput` takes.
  public struct Output {
    public var cell: Int
    public var text: String
    public var failed: Bool
    public var overridden = false
    public var inputs: [String] = []
    public var seconds: Double? = nil
    public init(cell: Int, text: String, failed: Bool, overridden: Bool = false, inputs: [String] = [],
                seconds: Double? = nil) {
      self.cell = cell
      self.text = text
      self.failed = failed
      self.overridden = overridden
      self.inputs = inputs
      self.seconds = seconds
    }
  }

  // MARK: - Lock

  /// Takes the lock (re-entrant). When another process holds it: with `wait`, calls `onWait` once with a
  /// message and polls until it is free or `isCancelled()`; without, fails at once.
  public func lock(wait: Bool, onWait: (String) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws {
    if lockDepth > 0 {
      lockDepth += 1
      return
    }
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
    guard fd >= 0 else {
      throw NotebookError.io("cannot create the lock file '\(lockPath)': \(String(cString: strerror(errno)))")
    }
    var told = false
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let e = errno
      guard e == EWOULDBLOCK || e == EINTR else {
        close(fd)
        throw NotebookError.io("cannot lock '\(lockPath)': \(String(cString: strerror(e)))")
      }
      let holder = holderDescription(fd)
      guard wait else {
        close(fd)
        throw NotebookError.busy("\(path) is in use by \(holder) (its lock: \(lockPath))")
      }
      if !told {
        onWait("waiting for \(holder) to finish with \(path) (--no-wait fails instead)")
        told = true
      }
      if isCancelled() {
        close(fd)
        throw NotebookError.busy("gave up waiting for \(holder) to finish with \(path)")
      }
      usleep(50_000)
    }
    let pid = "\(getpid())\n"
    ftruncate(fd, 0)
    _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    lockFD = fd
    lockDepth = 1
  }

  /// Releases one level of the lock; the last release closes the lock file (the file stays: removing it
  /// would let two processes lock two different files).
  public func unlock() {
    guard lockDepth > 0 else { return }
    lockDepth -= 1
    if lockDepth == 0 {
      ftruncate(lockFD, 0)
      close(lockFD)
      lockFD = -1
    }
  }

  func holderDescription(_ fd: Int32) -> String {
    var buf = [UInt8](repeating: 0, count: 32)
    let n = pread(fd, &buf, 31, 0)
    let text = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    return Int(text).map { "another midigen (process \($0))" } ?? "another midigen"
  }

  // MARK: - Reading and writing

  /// Reads and parses the notebook; a format error becomes `NotebookError.format` with the rendered
  /// diagnostic. An absent file is an error unless `allowMissing` (then an empty notebook).
  public func read(allowMissing: Bool = false) throws -> (text: String, document: NotebookDocument) {
    if allowMissing && !FileManager.default.fileExists(atPath: target) {
      lastText = nil
      return ("", NotebookDocument(cells: [], file: fileName))
    }
    let text = try NotebookFile.read(target)
    lastText = text
    return (text, try parse(text))
  }

  func parse(_ text: String) throws -> NotebookDocument {
    do {
      return try NotebookDocument.parse(text, file: fileName)
    } catch let d as Diagnostic {
      throw NotebookError.format(d.render(file: path, lines: diagnosticLines(text)))
    }
  }

  /// Writes `outputs` (cells of `base`, the document as the run read it) into the file as it is now;
  /// returns the document written. Takes the lock for the write when not already held.
  @discardableResult
  public func merge(_ outputs: [Output], base: NotebookDocument, wait: Bool = true,
                    onWait: (String) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws
    -> NotebookDocument
  {
    try modify(wait: wait, onWait: onWait, isCancelled: isCancelled) { current in
      let map = NotebookStore.align(base, current)
      for o in outputs {
        guard let j = map[o.cell] else { continue }  // edited or removed meanwhile: keeps its old output
        current.setOutput(o.text, ofCell: j, failed: o.failed, overridden: o.overridden, inputs: o.inputs,
                          seconds: o.seconds)
      }
    }
  }

  /// Applies `change` to the notebook as it is on disk now and writes it (under the lock); returns the
  /// document written. An absent file is an empty notebook (the REPL's `:keep` creates it).
  @discardableResult
  public func modify(wait: Bool = true, onWait: (String) -> Void = { _ in },
                     isCancelled: () -> Bool = { false },
                     _ change: (inout NotebookDocument) throws -> Void) throws -> NotebookDocument {
    try lock(wait: wait, onWait: onWait, isCancelled: isCancelled)
    defer { unlock() }
    // Retry when the file changes between our read and our rename (an editor saving just then).
    for _ in 0..<5 {
      let before = fileIdentity()
      var doc = try read(allowMissing: true).document
      try change(&doc)
      let text = doc.render()
      guard fileIdentity() == before else { continue }
      try NotebookFile.write(text, to: target)
      lastText = text
      return doc
    }
    throw NotebookError.io("\(path) kept changing while midigen tried to write it; outputs not written")
  }

  /// (inode, size, modification time) of the real file, nil when absent.
  func fileIdentity() -> [Int]? {
    var st = stat()
    guard stat(target, &st) == 0 else { return nil }
    return [Int(st.st_ino), Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
  }

  /// Code cells of `old` matched to cells of `new` with the same title and trimmed source: a longest common
  /// subsequence over the code cells in order, so duplicates pair up in order and edits break only their own
  /// pairing. Keys and values are indices into `cells`.
  public static func align(_ old: NotebookDocument, _ new: NotebookDocument) -> [Int: Int] {
    let a = old.codeCellIndices, b = new.codeCellIndices
    func key(_ d: NotebookDocument, _ i: Int) -> String { (d.cells[i].title ?? "") + "\u{0}" + d.cells[i].trimmedSource }
    let x = a.map { key(old, $0) }, y = b.map { key(new, $0) }
    if x == y { return Dictionary(uniqueKeysWithValues: zip(a, b)) }
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in stride(from: x.count - 1, through: 0, by: -1) {
      for j in stride(from: y.count - 1, through: 0, by: -1) {
        lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var map: [Int: Int] = [:]
    var i = 0, j = 0
    while i < x.count && j < y.count {
      if x[i] == y[j] {
        map[a[i]] = b[j]
        i += 1
        j += 1
      } else if lcs[i + 1][j] >= lcs[i][j + 1] {
        i += 1
      } else {
        j += 1
      }
    }
    return map
  }
}
