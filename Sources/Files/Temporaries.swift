import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The temporary files of saves in progress (`AtomicFile`), kept where a signal handler can find them:
/// a fixed table of C strings allocated once, so `removeAll()` only reads memory and calls `unlink`
/// (both async-signal-safe). A handler for SIGINT/SIGTERM calls `AtomicFile.removeTemporaries()` before
/// the process ends, so an interrupted save leaves no `.NAME.tmp-PID-N` behind; what a `kill -9` leaves
/// is swept by the next save into the same folder (`sweep`).
enum Temporaries {
  static let slots = 64
  static let pathCapacity = Int(PATH_MAX) + 1
  /// `slots` × `pathCapacity` bytes; a slot whose first byte is 0 is free.
  nonisolated(unsafe) static let table: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathCapacity)
    p.initialize(repeating: 0, count: slots * pathCapacity)
    return p
  }()
  nonisolated(unsafe) static var lock = pthread_mutex_t()
  nonisolated(unsafe) static var lockReady: Bool = {
    pthread_mutex_init(&lock, nil)
    return true
  }()

  /// Records `path`; returns its slot (nil when the table is full or the path too long: the file is
  /// then only swept later).
  static func register(_ path: String) -> Int? {
    _ = lockReady
    let bytes = Array(path.utf8)
    guard bytes.count < pathCapacity, !bytes.isEmpty else { return nil }
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    for s in 0..<slots where table[s * pathCapacity] == 0 {
      let slot = table + s * pathCapacity
      // Bytes after the first, then the first: the slot is never seen half-written.
      for i in 1..<bytes.count { slot[i] = CChar(bitPattern: bytes[i]) }
      slot[bytes.count] = 0
      slot[0] = CChar(bitPattern: bytes[0])
      return s
    }
    return nil
  }

  static func unregister(_ slot: Int?) {
    guard let slot else { return }
    pthread_mutex_lock(&lock)
    table[slot * pathCapacity] = 0
    pthread_mutex_unlock(&lock)
  }

  /// Unlinks every registered temporary file. Async-signal-safe (no locks, no allocation).
  static func removeAll() {
    for s in 0..<slots where table[s * pathCapacity] != 0 {
      unlink(table + s * pathCapacity)
    }
  }

  /// Paths currently registered (tests).
  static var registered: [String] {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return (0..<slots).compactMap { s in
      table[s * pathCapacity] == 0 ? nil : String(cString: table + s * pathCapacity)
    }
  }

  /// Removes `.NAME.tmp-PID-N` files in `dir` left by processes that no longer exist (a kill -9 or a
  /// power cut during a save). Files of live processes, and anything else, are left alone.
  static func sweep(_ dir: String) {
    guard let d = opendir(dir.isEmpty ? "." : dir) else { return }
    defer { closedir(d) }
    var stale: [String] = []
    while let e = readdir(d) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      guard let pid = ownerPID(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
      stale.append(name)
    }
    for name in stale { unlink((dir.isEmpty ? "" : dir + "/") + name) }
  }

  /// The process id in a temporary name `.NAME.tmp-PID-N`, or nil when `name` is not one.
  static func ownerPID(_ name: String) -> pid_t? {
    guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards),
      r.lowerBound > name.index(after: name.startIndex)
    else { return nil }
    let parts = name[r.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil else { return nil }
    return pid
  }
}
