import Foundation
import NN

/// `midigen bench gemm [--m M --n N --k K] [--ta] [--tb] [--threads N] [--runs N]`
///
/// Times `GEMM.sgemm` and prints GFLOP/s (FLOPs = 2·m·n·k per call; median wall time over `--runs`
/// runs, each repeating the call for at least ~25 ms), and in brackets GFLOP per CPU-second of the
/// process (per-core efficiency, robust to other load on the machine). Without `--m/--n/--k` it runs
/// the shapes of the GRUNet training step (H 256, B 64, T 256, V 360) and of sampling (batch 1).
/// Without `--threads` each shape is timed on 1 and on 2 threads. `--packed` times a custom shape
/// with B prepacked (`PackedMatrix`).
func benchGemm(_ args: [String]) -> Int32 {
  do {
    let opts = try Args(args, valued: ["m", "n", "k", "threads", "runs"])
    if opts.flag("help") {
      print("usage: midigen bench gemm [--m M --n N --k K] [--ta] [--tb] [--threads N] [--runs N]")
      return 0
    }
    try opts.rejectUnknown(flags: ["ta", "tb", "packed", "help"])
    let runs = try opts.int("runs", default: 5, in: 1...1000)
    var shapes: [GemmShape]
    if opts.value("m") != nil || opts.value("n") != nil || opts.value("k") != nil {
      let m = try opts.int("m", default: 256, in: 1...16384), n = try opts.int("n", default: 256, in: 1...16384)
      let k = try opts.int("k", default: 256, in: 1...16384)
      guard m > 0, n > 0, k > 0 else { throw ArgsError("--m, --n, --k must be positive") }
      shapes = [GemmShape("custom", m, n, k, opts.flag("ta"), opts.flag("tb"), packed: opts.flag("packed"))]
    } else {
      shapes = GemmShape.training
    }
    let threadCounts: [Int]
    if opts.value("threads") != nil {
      threadCounts = [try opts.int("threads", default: 1, in: 1...256)]
    } else {
      threadCounts = [1, 2]
    }
    var header = "shape".padding(toLength: 28, withPad: " ", startingAt: 0) + "    m     n     k op"
    for t in threadCounts { header += "  \(t)T GFLOP/s [/cpu-s]      ms" }
    print(header)
    let saved = Parallel.threads
    defer { Parallel.threads = saved }
    for s in shapes {
      var line = s.name.padding(toLength: 28, withPad: " ", startingAt: 0)
      line += String(format: "%5d %5d %5d %@%@", s.m, s.n, s.k, s.ta ? "T" : "N", s.tb ? "T" : "N")
      for t in threadCounts {
        Parallel.threads = t
        let (sec, cpu) = s.time(runs: runs)
        let flop = 2 * Double(s.m) * Double(s.n) * Double(s.k)
        line += String(format: "  %11.1f [%6.1f] %7.3f", flop / sec / 1e9, flop / cpu / 1e9, sec * 1e3)
      }
      print(line)
    }
    return 0
  } catch {
    printError("midigen bench gemm: \(error)")
    return 2
  }
}

/// One benchmarked product `C[m,n] = op(A)[m,k] · op(B)[k,n]`.
struct GemmShape {
  let name: String
  let m: Int, n: Int, k: Int
  let ta: Bool, tb: Bool
  /// Time `GEMM.sgemm(..., packedB:)` on a `PackedMatrix` packed once (a reused weight).
  var packed = false
  init(_ name: String, _ m: Int, _ n: Int, _ k: Int, _ ta: Bool, _ tb: Bool, packed: Bool = false) {
    (self.name, self.m, self.n, self.k, self.ta, self.tb, self.packed) = (name, m, n, k, ta, tb, packed)
  }

  /// The products of one GRUNet training step (B·T = 16384 rows) and of a batch-1 sampling step.
  static let training: [GemmShape] = [
    GemmShape("gru step h·Whhᵀ (B 64)", 64, 768, 256, false, true),
    GemmShape("gru step h·Whhᵀ prepacked", 64, 768, 256, false, true, packed: true),
    GemmShape("gru step dG·Whh (bwd)", 64, 256, 768, false, false),
    GemmShape("gru step dG·Whh prepacked", 64, 256, 768, false, false, packed: true),
    GemmShape("input proj X·Wihᵀ", 16384, 768, 256, false, true),
    GemmShape("input dX = dG·Wih", 16384, 256, 768, false, false),
    GemmShape("weight grad dGᵀ·X", 768, 256, 16384, true, false),
    GemmShape("logits Y·Wcᵀ", 16384, 360, 256, false, true),
    GemmShape("logits dY = dL·Wc", 16384, 256, 360, false, false),
    GemmShape("logits dWc = dLᵀ·Y", 360, 256, 16384, true, false),
    GemmShape("sample gemv h·Whhᵀ (B 1)", 1, 768, 256, false, true),
    GemmShape("sample gemv h·Whh (B 1)", 1, 768, 256, false, false),
  ]

  /// Median wall seconds per call over `runs` runs, and process CPU seconds per call (all runs).
  func time(runs: Int) -> (Double, Double) {
    var state: UInt32 = 12345
    func next() -> Float {
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 8) / Float(1 << 23) - 1
    }
    let a = (0..<(m * k)).map { _ in next() }
    let b = (0..<(k * n)).map { _ in next() }
    var c = [Float](repeating: 0, count: m * n)
    let lda = ta ? m : k, ldb = tb ? k : n
    var samples: [Double] = []
    var cpuPerCall = 0.0
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          let pa = pa.baseAddress!, pb = pb.baseAddress!, pc = pc.baseAddress!
          let pm = PackedMatrix(k: k, n: n)
          pm.pack(transB: tb, b: pb, ldb: ldb)
          let call = {
            if packed {
              GEMM.sgemm(transA: ta, m: m, alpha: 1, a: pa, lda: lda, packedB: pm, beta: 0, c: pc, ldc: n)
              return
            }
            GEMM.sgemm(
              transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, a: pa, lda: lda,
              b: pb, ldb: ldb, beta: 0, c: pc, ldc: n)
          }
          // Warm up, and size the repetitions so one run lasts at least ~25 ms.
          var t0 = DispatchTime.now().uptimeNanoseconds
          call()
          let once = max(1, DispatchTime.now().uptimeNanoseconds - t0)
          let reps = max(1, Int(25_000_000 / once))
          let cpu0 = processCPUSeconds()
          for _ in 0..<runs {
            t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { call() }
            let dt = DispatchTime.now().uptimeNanoseconds - t0
            samples.append(Double(dt) / 1e9 / Double(reps))
          }
          cpuPerCall = (processCPUSeconds() - cpu0) / Double(runs * reps)
        }
      }
    }
    samples.sort()
    return (samples[samples.count / 2], cpuPerCall)
  }

  /// User + system CPU time of the whole process so far.
  func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
      + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
  }
}
