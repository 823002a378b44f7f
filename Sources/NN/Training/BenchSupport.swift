import Foundation

/// Helpers for the `midigen bench train|sample` commands (kept in the library so they are tested).
public enum BenchSupport {
  /// `count` random sequences of `length` events: ids uniform in 1..<V, offsets from {0, .25, .5, 1}.
  public static func randomSequences(count: Int, length: Int, vocabSize V: Int, seed: UInt64) -> [TokenSequence] {
    var r = SeededRNG(seed: seed)
    let offs: [Float] = [0, 0.25, 0.5, 1]
    return (0..<count).map { _ in
      TokenSequence(ids: (0..<length).map { _ in 1 + r.int(below: V - 1) },
                    offsets: (0..<length).map { _ in offs[r.int(below: 4)] })
    }
  }

  /// Floating-point operations of the GEMMs in one training step (forward + backward), counting
  /// `2*m*n*k` per GEMM exactly as `Workspace.forward/backward` issue them (element-wise work, the
  /// loss and Adam are not counted).
  public static func trainingStepGEMMFlops(_ c: GRUConfig, batch B: Int, seq T: Int) -> Double {
    let N = Double(B * T), H = Double(c.hidden), V = Double(c.vocabSize), G = 3 * H
    let steps1 = Double(max(T - 1, 0) * B)  // recurrent rows (t >= 1)
    var perLayer = 2 * N * H * G            // input projections
    perLayer += 2 * steps1 * H * G          // recurrent forward
    perLayer += 2 * steps1 * G * H          // dh_{t-1} += dgh W_hh
    perLayer += 2 * G * H * N               // dW_ih
    perLayer += 2 * N * G * H               // dx
    perLayer += 2 * G * H * steps1          // dW_hh (two GEMMs: 2H and H rows)
    let heads = 3 * (2 * N * H * V)         // logits, dy, dW_cls
    return Double(c.layers) * perLayer + heads
  }

  /// Peak resident set size in bytes (VmHWM from /proc/self/status), nil if unavailable.
  public static func peakRSS() -> Int? {
    let s: String
    do { s = try String(contentsOfFile: "/proc/self/status", encoding: .utf8) } catch { return nil }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
    }
    return nil
  }
}
