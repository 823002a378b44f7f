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

  /// Removes the temporary files of saves in progress. Async-signal-safe: call it from a SIGINT or
  /// SIGTERM handler before the process ends, so an interrupted save leaves nothing behind.
  public static func removeTemporaries() { Temporaries.removeAll() }

  public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
    let dir = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    Temporaries.sweep(dir)
    let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let slot = Temporaries.register(tmp)
    defer { Temporaries.unregister(slot) }
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw WriteError(path: path, reason: cannotCreate(in: dir, errno)) }
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

  /// Why a temporary file could not be made in `dir`: when the folder is not writable, say so (the
  /// destination itself may well be writable, but replacing it atomically needs a new file beside it).
  static func cannotCreate(in dir: String, _ code: Int32) -> String {
    let reason = String(cString: strerror(code))
    let folder = dir.isEmpty ? "." : dir
    if (code == EACCES || code == EROFS || code == EPERM) && access(folder, W_OK) != 0 {
      return "cannot write: the folder '\(folder)' is not writable (\(reason)); saving replaces the file "
        + "atomically, which needs a new file in its folder"
    }
    return "cannot write: \(reason)"
  }

  public static func write(_ text: String, to path: String) throws(WriteError) {
    try write(Array(text.utf8), to: path)
  }
}
