import Foundation

/// `midigen bench KIND ...`: each benchmark lives in its own file (`Bench*.swift`).
func benchCommand(_ args: [String]) -> Int32 {
  let kinds: [(String, String, ([String]) -> Int32)] = [
    ("load", "read + encode MIDI files: files/s, MB/s, events/s", benchLoad),
    ("train", "full GRUNet training steps: ms/step, tokens/s, GFLOP/s", benchTrain),
    ("sample", "sampling speed at batch 1: tokens/s", benchSample),
    ("gemm", "single- and multi-core SGEMM GFLOP/s", benchGemm),
    ("render", "WAV synthesis speed", benchRender),
    ("interp", "interpreter speed on three programs, beside CPython", benchInterp),
  ]
  guard let kind = args.first, let k = kinds.first(where: { $0.0 == kind }) else {
    var s = "usage: midigen bench <kind> [options]\n"
    for k in kinds { s += "  " + k.0.padding(toLength: 8, withPad: " ", startingAt: 0) + k.1 + "\n" }
    printError(s)
    return 2
  }
  return k.2(Array(args.dropFirst()))
}
