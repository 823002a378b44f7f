import Foundation
import Testing
@testable import Notebook

/// The new built-ins called with generated arguments of every type, including extreme integers, nan,
/// huge and overflowing ranges and nested lists: each call returns a value or a located error, never traps.
@Suite struct BuiltinFuzzTests {
  static func value(_ rng: inout NotebookRandom, depth: Int = 0) throws -> Value {
    switch rng.int(below: depth > 1 ? 8 : 10) {
    case 0: return .int([0, 1, -1, 7, Int.max, Int.min, Int.max - 1, 1 << 40][rng.int(below: 8)])
    case 1: return .float([0.5, -2.5, .nan, .infinity, -.infinity, 1e300, -0.0, 9.3e18][rng.int(below: 8)])
    case 2: return .string(["", "42", "1e3", "x", "nan", "-inf", " 7 ", "é"][rng.int(below: 8)])
    case 3: return .bool(rng.int(below: 2) == 0)
    case 4:
      let pairs = [(0, 0), (0, 5), (-3, 3), (Int.min, Int.max), (0, Int.max), (-(1 << 62), 1 << 62), (5, 2_000_000)]
      let (lo, hi) = pairs[rng.int(below: pairs.count)]
      return .range(lo, hi)
    case 5: return .nothing
    case 6:
      let tokens = ["C4", "0.4.7", "B-4", "<PAD>", "48.52.55", "G9"]
      let n = rng.int(below: 4)
      return .object(try MelodyObject(name: "m", tokens: (0..<n).map { _ in tokens[rng.int(below: tokens.count)] },
                                      offsets: (0..<n).map { _ in 0.5 }))
    case 7: return .function("len")
    default:
      return .list(try (0..<rng.int(below: 4)).map { _ in try value(&rng, depth: depth + 1) })
    }
  }

  @Test func generatedArgumentsGiveValuesOrLocatedErrors() throws {
    let names = StandardLibrary.added.map(\.name).filter { $0 != "play" && $0 != "stop" } + ["plot"]
    var rng = NotebookRandom(seed: 2026)
    let i = TestSupport.interpreter()
    var errors = 0
    for _ in 0..<3000 {
      let name = names[rng.int(below: names.count)]
      let argc = rng.int(below: 4)
      var args: [String] = []
      for k in 0..<argc {
        i.session.variables["a\(k)"] = try Self.value(&rng)
        args.append("a\(k)")
      }
      let source = "\(name)(\(args.joined(separator: ", ")))"
      let r = i.run(source)
      if let e = r.error {
        errors += 1
        #expect(e.range.start.line == 1 && e.range.start.column >= 1 && e.range.start.column <= source.count,
                "\(source): \(e.message)")
        #expect(!e.message.isEmpty)
      }
    }
    #expect(errors > 100 && errors < 3000)
  }
}
