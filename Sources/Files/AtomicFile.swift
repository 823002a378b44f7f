import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Whole-file writes that never leave a half-written file: the bytes go to a temporary file in
/// the destination's folder, are flushed to disk, and the temporary file is renamed over the
/// destination (atomic within one file system). An existing destination keeps its permissions; on
/// failure it is untouched and the temporary file is removed. Used for MIDI, WAV, JSON, HTML,
/// checkpoints and notebooks alike.
public enum AtomicFile {
  /// A file that could not be written: `path` and the system's reason.
  public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
  }

  public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
    let dir = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw WriteError(path: path, reason: "cannot write: \(String(cString: strerror(errno)))") }
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n <= 0 {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(tmp)
        throw WriteError(path: path, reason: "cannot write: \(reason)")
      }
      offset += n
    }
    fsync(fd)
    close(fd)
    var st = stat()
    if stat(path, &st) == 0 { chmod(tmp, st.st_mode & 0o7777) }
    guard rename(tmp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw WriteError(path: path, reason: "cannot rename the temporary file into place: \(reason)")
    }
  }

  public static func write(_ text: String, to path: String) throws(WriteError) {
    try write(Array(text.utf8), to: path)
  }
}
