#if canImport(Glibc)
  import Glibc
#endif

/// Reads whole files into byte arrays with plain POSIX calls (no Foundation bridging).
public enum FileBytes {
  /// The contents of `path`. Errors are `MIDIError`s at offset 0 naming the path and the reason.
  public static func read(_ path: String) throws(MIDIError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw MIDIError(file: path, offset: 0, message: "cannot open: \(errnoText())") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw MIDIError(file: path, offset: 0, message: "cannot stat: \(errnoText())")
    }
    guard st.st_mode & S_IFMT != S_IFDIR else {
      throw MIDIError(file: path, offset: 0, message: "is a directory")
    }
    var out = [UInt8](repeating: 0, count: max(0, Int(st.st_size)))
    var got = 0
    while got < out.count {
      let n = out.withUnsafeMutableBytes { buf in
        Glibc.read(fd, buf.baseAddress! + got, buf.count - got)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw MIDIError(file: path, offset: got, message: "read failed: \(errnoText())")
      }
      if n == 0 { break }  // file shrank while reading
      got += n
    }
    if got < out.count { out.removeLast(out.count - got) }
    return out
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
