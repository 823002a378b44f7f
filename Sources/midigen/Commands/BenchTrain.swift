import Foundation
import Melody
import NN

/// `midigen bench train [--hidden H] [--layers L] [--batch B] [--seq T] [--vocab V] [--steps N] [--threads N]
/// [--data PATH]`
///
/// Times full training steps (forward, backward, clipping, Adam) of a fresh GRUNet on random tokens
/// (every window full), or with `--data` on the songs of a MIDI file or folder (windows as training
/// draws them, padded where a song is shorter; the vocabulary is the data's): one warm-up step, then
/// N timed steps; prints the median ms/step, tokens/s, GEMM GFLOP/s and peak RSS.
func benchTrain(_ argv: [String]) -> Int32 {
  do {
    let args = try Args(argv, valued: ["hidden", "layers", "batch", "seq", "vocab", "steps", "threads", "dropout", "data"])
    try args.rejectUnknown(flags: ["help", "profile"])
    if args.flag("help") || !args.positional.isEmpty {
      printError("usage: midigen bench train [--hidden 256] [--layers 2] [--batch 64] [--seq 256] [--vocab 360] "
        + "[--steps 3] [--threads 2] [--dropout 0.2] [--data PATH] [--profile]")
      return args.flag("help") ? 0 : 2
    }
    let H = try args.int("hidden", default: 256, in: 1...65536), L = try args.int("layers", default: 2, in: 1...1024)
    let B = try args.int("batch", default: 64, in: 1...100_000), T = try args.int("seq", default: 256, in: 1...1_000_000)
    var V = try args.int("vocab", default: 360, in: 2...1_000_000)
    let steps = try args.int("steps", default: 3, in: 1...1_000_000)
    let threads = try args.int("threads", default: 2, in: 1...256)
    let dropout = Float(try args.double("dropout", default: 0.2, in: 0...0.999))
    guard H >= 1, L >= 1, B >= 1, T >= 1, V >= 2, steps >= 1, threads >= 1 else {
      throw ArgsError("all sizes must be positive (vocab >= 2)")
    }
    var vocab = ["<PAD>"] + (1..<V).map { "t\($0)" }
    var data = BenchSupport.randomSequences(count: 32, length: 2 * T + 1, vocabSize: V, seed: 2)
    if let path = args.value("data") {
      let ds = try Dataset.load(path, options: EncodingOptions())
      let vocabulary = Vocabulary(songs: ds.songs)
      data = try ds.songs.map { song in
        TokenSequence(ids: try vocabulary.encode(song.tokens, skipUnknown: false).ids,
                      offsets: song.offsets.map { Float($0) })
      }
      vocab = vocabulary.tokens
      V = vocab.count
      print("data \(path): \(data.count) songs, \(data.reduce(0) { $0 + $1.count }) events, vocabulary \(V)")
    }
    let config = GRUConfig(vocabSize: V, hidden: H, layers: L, dropout: dropout)
    try MemoryBudget.checkTraining(config, T: T, B: B)
    let model = try GRUNet(checked: config, vocab: vocab, seed: 1)
    var o = TrainOptions()
    o.steps = steps + 1; o.batch = B; o.seq = T; o.valid = 0; o.threads = threads
    var stamps: [UInt64] = [DispatchTime.now().uptimeNanoseconds]
    StepProfile.enabled = args.flag("profile")
    var positions = 0
    _ = try Trainer.train(model, on: data, options: o) { p in
      if p.step > 1 { positions += p.positions }
      if p.step == 1 { StepProfile.reset() }  // the warm-up step is not profiled
      stamps.append(DispatchTime.now().uptimeNanoseconds)
      return true
    }
    var times = (1..<stamps.count).map { Double(stamps[$0] - stamps[$0 - 1]) / 1e9 }
    let warm = times.removeFirst()
    times.sort()
    let med = times[times.count / 2]
    // Every matrix product has the computed positions as one dimension (padding is not computed).
    let real = Double(positions) / Double(steps * B * T)
    let flops = BenchSupport.trainingStepGEMMFlops(config, batch: B, seq: T) * real
    print("bench train: H \(H), layers \(L), batch \(B), seq \(T), vocab \(V), threads \(threads), "
      + "\(model.parameterCount) parameters")
    print(String(format: "  %.1f ms/step (median of %d; min %.1f, max %.1f; warm-up %.1f)", med * 1e3, times.count,
                 times[0] * 1e3, times[times.count - 1] * 1e3, warm * 1e3))
    print(String(format: "  %.0f tokens/s (batch*seq positions per second)", Double(B * T) / med))
    if args.value("data") != nil {
      print(String(format: "  %.1f%% of the positions are real events (the rest is padding, not computed)",
                   100 * real))
    }
    print(String(format: "  %.1f GFLOP/s (%.2f GFLOP/step: 2*m*n*k of every forward+backward GEMM; "
      + "element-wise work not counted", flops / med / 1e9, flops / 1e9)
      + (real < 1 ? "; computed positions only)" : ")"))
    if StepProfile.enabled {
      print("  phases (ms/step, mean of the timed steps):")
      for (phase, s) in StepProfile.report() {
        print("    " + phase.padding(toLength: 22, withPad: " ", startingAt: 0)
          + String(format: "%8.1f", s * 1e3 / Double(times.count)))
      }
    }
    if let rss = BenchSupport.peakRSS() { print(String(format: "  peak RSS %.0f MB (VmHWM)", Double(rss) / 1e6)) }
    return 0
  } catch {
    printError("midigen bench train: \(error)")
    return 2
  }
}
