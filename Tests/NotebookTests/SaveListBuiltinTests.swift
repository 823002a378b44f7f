import Foundation
import Testing
@testable import Notebook

/// `save([values], "out/take{i}.mid")`.
@Suite struct SaveListBuiltinTests {
  @Test func savesEachItemByIndex() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let i = TestSupport.interpreter(base: dir)
    i.session.variables["a"] = .object(try MelodyObject(name: "a", tokens: ["C4", "E4"], offsets: [0, 1]))
    i.session.variables["b"] = .object(try MelodyObject(name: "b", tokens: ["D4"], offsets: [0]))
    let out = TestSupport.run(i, "save([a, b, a], \"out/take{i}.mid\")\nsave([a, b], \"json/{i}-{i}.json\")")
    #expect(out == """
      saved: out/take0.mid
      saved: out/take1.mid
      saved: out/take2.mid
      saved: json/0-0.json
      saved: json/1-1.json
      """)
    for k in 0..<3 { #expect(FileManager.default.fileExists(atPath: dir + "/out/take\(k).mid")) }
    #expect(TestSupport.run(i, "open(\"out/take1.mid\").tokens") == "[\"D4\"]")
    #expect(TestSupport.run(i, "open(\"json/0-0.json\").tokens") == "[\"C4\", \"E4\"]")
    // A single value saves as before.
    #expect(TestSupport.run(i, "save(a, \"one.mid\")") == "saved: one.mid")
  }

  @Test(arguments: [
    ("save([a, b], \"out/take.mid\")", "1:14", "saving a list needs {i} in the path"),
    ("save(a, \"out/take{i}.mid\")", "1:9", "{i} in the path numbers the items of a list; got a melody"),
    ("save([], \"out/{i}.mid\")", "1:6", "save() of an empty list"),
    ("save([a, 3], \"out/{i}.mid\")", "1:6", "item 1: save() cannot write an integer"),
    ("save([a, b], \"out/{i}.mp3\")", "1:14", "item 0: a melody is saved as .mid"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let i = TestSupport.interpreter(base: dir)
    i.session.variables["a"] = .object(try MelodyObject(name: "a", tokens: ["C4"], offsets: [0]))
    i.session.variables["b"] = .object(try MelodyObject(name: "b", tokens: ["D4"], offsets: [0]))
    let r = i.run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
    // Items before a failing one are saved; nothing after it.
    if source.contains("[a, 3]") {
      #expect(r.output == "saved: out/0.mid")
    }
  }
}
