import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files atomically: the bytes go to a temporary file in the destination's folder,
/// which is then renamed over the destination (rename is atomic within one file system).
public enum AtomicFile {
  /// Writes `bytes` to `path`; on failure the destination is untouched and the temporary file removed.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    let temp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: temp))
    } catch {
      throw AtomicFileError(path: path, message: "cannot write: \(error.localizedDescription)")
    }
    if rename(temp, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      throw AtomicFileError(path: path, message: "cannot rename into place: \(reason)")
    }
  }
}

/// A file that could not be written.
public struct AtomicFileError: Error, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
