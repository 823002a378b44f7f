#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whole-file replacement that keeps what the user set up: the bytes go to a temporary file beside the
/// real file, are flushed, and the temporary file is renamed over it (a crash or kill leaves either the
/// old or the new file, never a mix). A symbolic link is followed, so its target gets the new bytes and
/// the link stays a link; the file's mode, owner and group are kept. When the owner cannot be kept (the
/// file belongs to another user who let us write it), the bytes are written in place instead, which keeps
/// owner, mode and hard links at the price of atomicity. Reads are UTF-8 and keep a byte order mark.
public enum NotebookFile {
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  public static func write(_ bytes: [UInt8], to path: String) throws {
    let target = try resolvedTarget(path)
    var old = stat()
    let exists = stat(target, &old) == 0
    let dir = (target as NSString).deletingLastPathComponent
    let name = (target as NSString).lastPathComponent
    let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, exists ? 0o600 : 0o666)
    guard fd >= 0 else {
      if exists && errno == EACCES { return try writeInPlace(bytes, to: target) }  // a read-only folder
      throw failure(path, "cannot write", errno)
    }
    do {
      try writeAll(fd, bytes, path)
      if exists {
        fchmod(fd, old.st_mode & 0o7777)
        if fchown(fd, old.st_uid, old.st_gid) != 0 {
          // Another user's file: renaming ours over it would change its owner.
          if old.st_uid != geteuid() {
            close(fd)
            unlink(tmp)
            return try writeInPlace(bytes, to: target)
          }
        }
      }
      fsync(fd)
      close(fd)
    } catch {
      close(fd)
      unlink(tmp)
      throw error
    }
    guard rename(tmp, target) == 0 else {
      let e = errno
      unlink(tmp)
      throw failure(path, "cannot rename the temporary file into place", e)
    }
  }

  /// The file a write to `path` must replace: `path` itself, or the end of its chain of symbolic links.
  public static func resolvedTarget(_ path: String) throws -> String {
    var st = stat()
    guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return path }
    var current = path
    for _ in 0..<40 {  // as the kernel's own limit on link chains
      var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buf, buf.count - 1)
      guard n >= 0 else { throw failure(path, "cannot read the symbolic link", errno) }
      let link = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let dir = (current as NSString).deletingLastPathComponent
      current = link.hasPrefix("/") || dir.isEmpty ? link : dir + "/" + link
      guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
    }
    throw NotebookError.io("'\(path)': too many levels of symbolic links")
  }

  static func writeInPlace(_ bytes: [UInt8], to target: String) throws {
    let fd = open(target, O_WRONLY | O_TRUNC)
    guard fd >= 0 else { throw failure(target, "cannot write", errno) }
    defer { close(fd) }
    try writeAll(fd, bytes, target)
    fsync(fd)
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw failure(path, "cannot write", errno) }
      offset += n
    }
  }

  static func failure(_ path: String, _ what: String, _ code: Int32) -> NotebookError {
    .io("'\(path)': \(what): \(String(cString: strerror(code)))")
  }

  /// Reads a UTF-8 text file (a byte order mark stays the text's first scalar), with an error naming the
  /// path.
  public static func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NotebookError.io("cannot read '\(path)': no such file or not readable")
    }
    guard let s = String(validating: data, as: UTF8.self) else {
      throw NotebookError.io("'\(path)' is not UTF-8 text")
    }
    return s
  }
}
