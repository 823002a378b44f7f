import Foundation
import Testing
@testable import Files

/// Temporary files of saves: registered while a save runs (so a signal handler can remove them), swept
/// when a dead process left them, kept when their process lives.
@Suite(.serialized) struct TemporariesTests {
  /// A process id that no process has (so its temporaries are stale).
  static func deadPID() -> pid_t {
    var pid: pid_t = 4_000_000
    while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
    return pid
  }

  @Test func removeTemporariesUnlinksRegisteredFiles() throws {
    let dir = AtomicFileTests.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var slots: [Int?] = []
    for i in 0..<5 {
      let p = dir + "/.f\(i).tmp-\(getpid())-\(i)"
      FileManager.default.createFile(atPath: p, contents: Data([1, 2, 3]))
      slots.append(Temporaries.register(p))
    }
    #expect(Temporaries.registered.count >= 5)
    AtomicFile.removeTemporaries()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    slots.forEach(Temporaries.unregister)
    #expect(Temporaries.registered.allSatisfy { !$0.hasPrefix(dir) })
    // A full table or an over-long path is not registered (the file is then only swept later).
    #expect(Temporaries.register(String(repeating: "a", count: Temporaries.pathCapacity)) == nil)
  }

  @Test func staleTemporariesOfDeadProcessesAreSweptOnTheNextSave() throws {
    let dir = AtomicFileTests.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let dead = Self.deadPID()
    let stale = [".model.safetensors.tmp-\(dead)-123", ".x.wav.tmp-\(dead)-0"]
    let live = [".model.safetensors.tmp-\(getppid())-7", ".y.tmp-\(getpid())-1"]
    let other = [".tmp-\(dead)-1", "a.tmp-\(dead)-1x", ".z.tmp-abc-1", "notes.txt"]
    for n in stale + live + other { FileManager.default.createFile(atPath: dir + "/" + n, contents: Data()) }
    try AtomicFile.write("new", to: dir + "/new.txt")
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
    #expect(left == Set(live + other + ["new.txt"]))
    for n in stale { #expect(!left.contains(n)) }
    #expect(Temporaries.ownerPID(".a.tmp-12-34") == 12 && Temporaries.ownerPID("a.tmp-12-34") == nil)
    #expect(Temporaries.ownerPID(".a.tmp-12-x") == nil && Temporaries.ownerPID(".tmp-12-3") == nil)
  }

  @Test func anUnwritableFolderIsNamedAsTheCause() {
    let reason = AtomicFile.cannotCreate(in: "/nonexistent-midigen-folder", EACCES)
    #expect(reason.contains("the folder '/nonexistent-midigen-folder' is not writable") && reason.contains("atomically"))
    #expect(AtomicFile.cannotCreate(in: NSTemporaryDirectory(), ENOSPC).hasPrefix("cannot write: "))
    #expect(!AtomicFile.cannotCreate(in: NSTemporaryDirectory(), EACCES).contains("folder"))
  }
}
