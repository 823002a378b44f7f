#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Files
import Foundation

/// Notebook files: atomic writes (`AtomicFile`: a crash or kill leaves either the old or the new
/// file, never a mix) and UTF-8 reads, with errors naming the path.
public enum NotebookFile {
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  public static func write(_ bytes: [UInt8], to path: String) throws {
    do {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw NotebookError.io("'\(path)': \(error.reason)")
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
