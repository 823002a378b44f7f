import Foundation
import Testing
@testable import Files

@Suite struct AtomicFileTests {
  static func tempDir() -> String {
    let dir = NSTemporaryDirectory() + "midigen-files-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func writesReplacesAndKeepsPermissions() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/a.txt"
    try AtomicFile.write("first", to: path)
    chmod(path, 0o600)
    try AtomicFile.write([0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64], to: path)
    #expect(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) == "second")
    var st = stat()
    #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
    // Nothing but the destination is left in the folder.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.txt"])
  }

  @Test func failureNamesThePathAndLeavesNothing() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/missing/b.txt"
    do {
      try AtomicFile.write("x", to: path)
      Issue.record("writing into a missing folder succeeded")
    } catch {
      #expect(error.path == path)
      #expect(error.description.hasPrefix(path + ": cannot write"))
    }
    // A destination that is a folder cannot be replaced: the old content stays, no temporary file.
    let folder = dir + "/folder"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: folder) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["folder"])
  }
}
