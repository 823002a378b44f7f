#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Atomic file writes: the bytes go to a temporary file in the same folder, which is flushed and then
/// renamed over the target, so a crash or kill leaves either the old or the new file, never a mix.
public enum NotebookFile {
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  public static func write(_ bytes: [UInt8], to path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(name).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw NotebookError.io("cannot write '\(path)': \(String(cString: strerror(errno)))") }
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n <= 0 {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(tmp)
        throw NotebookError.io("cannot write '\(path)': \(reason)")
      }
      offset += n
    }
    fsync(fd)
    close(fd)
    // Keep the permissions of an existing file.
    var st = stat()
    if stat(path, &st) == 0 { chmod(tmp, st.st_mode & 0o7777) }
    guard rename(tmp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw NotebookError.io("cannot write '\(path)': \(reason)")
    }
  }

  /// Reads a UTF-8 text file, with an error naming the path.
  public static func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NotebookError.io("cannot read '\(path)': no such file or not readable")
    }
    guard let s = String(data: data, encoding: .utf8) else {
      throw NotebookError.io("'\(path)' is not UTF-8 text")
    }
    return s
  }
}
