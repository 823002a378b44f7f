import Foundation
import Testing
@testable import Notebook

/// Every number on the command line is range-checked: out-of-range, overflowing and non-numeric
/// values end with exit status 2 and a message naming the option, never a trap.
@Suite struct CommandLineNumberTests {
  @Test func outOfRangeNumbersAreUsageErrors() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let hostile = ["-1", "-9223372036854775808", "9223372036854775808", "99999999999999999999", "1e300", "nan", "x"]
    let cases: [([String], String)] = [
      (["inspect", "songs", "--tokens"], "tokens"), (["inspect", "songs", "--quantize"], "quantize"),
      (["bench", "train", "--hidden"], "hidden"), (["bench", "train", "--batch"], "batch"),
      (["bench", "sample", "--count"], "count"), (["bench", "sample", "--length"], "length"),
      (["bench", "gemm", "--m"], "m"), (["bench", "render", "--seconds"], "seconds"),
    ]
    for (args, option) in cases {
      for value in hostile {
        let r = try CommandLineTests().midigen(args + [value], in: dir)
        #expect(r.status == 2 && r.stderr.contains("--\(option)") && r.stderr.count < 400,
                "\(args) \(value): status \(r.status), \(r.stderr.prefix(300))")
      }
    }
    // In range still works.
    let ok = try CommandLineTests().midigen(["inspect", "songs", "--tokens", "0"], in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
  }
}
