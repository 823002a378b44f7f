import Foundation
import NN

/// `midigen bench sample [--hidden H] [--layers L] [--vocab V] [--length N] [--runs N] [--top-p P] [--threads N]`
///
/// Times `Sampler.sample` for one melody (batch 1) from a fresh GRUNet: one warm-up run, then N runs;
/// prints the median tokens/s, and a digest of the generated melodies (to check that a faster build
/// samples exactly the same events).
func benchSample(_ argv: [String]) -> Int32 {
  do {
    let args = try Args(argv, valued: ["hidden", "layers", "vocab", "length", "runs", "top-p", "threads", "count"])
    try args.rejectUnknown(flags: ["help"])
    if args.flag("help") || !args.positional.isEmpty {
      printError("usage: midigen bench sample [--hidden 256] [--layers 2] [--vocab 360] [--length 512] [--runs 5] "
        + "[--top-p 0.6] [--threads 2] [--count 1]")
      return args.flag("help") ? 0 : 2
    }
    let H = try args.int("hidden", default: 256, in: 1...65536), L = try args.int("layers", default: 2, in: 1...1024)
    let V = try args.int("vocab", default: 360, in: 2...1_000_000)
    let length = try args.int("length", default: 512, in: 1...1_000_000)
    let runs = try args.int("runs", default: 5, in: 1...1000), threads = try args.int("threads", default: 2, in: 1...256)
    let count = try args.int("count", default: 1, in: 1...1024)
    let topP = Float(try args.double("top-p", default: 0.6, in: 0...1))
    guard H >= 1, L >= 1, V >= 2, length >= 1, runs >= 1, threads >= 1, count >= 1 else {
      throw ArgsError("all sizes must be positive (vocab >= 2)")
    }
    let model = try GRUNet(checked: GRUConfig(vocabSize: V, hidden: H, layers: L),
                       vocab: ["<PAD>"] + (1..<V).map { "t\($0)" }, seed: 1)
    Parallel.threads = threads
    var o = SampleOptions()
    o.length = length; o.topP = topP; o.count = count
    _ = try Sampler.sample(model, options: o)
    var times: [Double] = []
    var digest: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over every generated id and offset
    for r in 0..<runs {
      o.seed = UInt64(r + 1)
      let t0 = DispatchTime.now().uptimeNanoseconds
      let melodies = try Sampler.sample(model, options: o)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      for m in melodies {
        for (id, off) in zip(m.ids, m.offsets) {
          for v in [UInt64(id), UInt64(off.bitPattern)] { digest = (digest ^ v) &* 0x100_0000_01B3 }
        }
      }
    }
    times.sort()
    let med = times[times.count / 2]
    print("bench sample: H \(H), layers \(L), vocab \(V), length \(length), batch \(count), top-p \(topP), "
      + "threads \(threads)")
    print(String(format: "  %.0f tokens/s (median of %d runs: %.2f ms per melody; min %.2f, max %.2f)",
                 Double(length * count) / med, runs, med * 1e3, times[0] * 1e3, times[times.count - 1] * 1e3))
    print(String(format: "  melodies digest %016llx (seeds 1...%d; identical output gives the same digest)",
                 digest, runs))
    return 0
  } catch {
    printError("midigen bench sample: \(error)")
    return 2
  }
}
