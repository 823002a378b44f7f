import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Whole-file writes that never leave a half-written file: the bytes go to a temporary file in
/// the same folder, which is then renamed over the destination.
public enum AtomicFile {
  public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
  }

  public static func write(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else {
      throw WriteError(path: path, message: "cannot write (folder missing or not writable?)")
    }
    if rename(tmp, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw WriteError(path: path, message: "cannot rename temporary file into place: \(reason)")
    }
  }

  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }
}
