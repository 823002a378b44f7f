#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Notebook

/// A one-line progress bar on standard error, drawn only when stderr is a terminal. Nothing of it enters
/// notebooks. Redraws at most ~10 times a second.
final class ProgressBar {
  let enabled = isatty(STDERR_FILENO) == 1
  private var shown = false
  private var lastDraw: UInt64 = 0
  private var started: (task: String, at: UInt64)? = nil

  func update(_ r: ProgressReport) {
    guard enabled else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    if started?.task != r.task || r.step <= 1 { started = (r.task, now) }
    guard r.step >= r.total || now - lastDraw > 100_000_000 else { return }
    lastDraw = now
    let width = 24
    let frac = r.total > 0 ? min(1, Double(r.step) / Double(r.total)) : 0
    let filled = Int(frac * Double(width))
    var line = "\(r.task) [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      + "] \(r.step)/\(r.total)"
    if let loss = r.loss { line += String(format: "  loss %.4f", loss) }
    if let tps = r.tokensPerSecond { line += String(format: "  %.0f tok/s", tps) }
    if let s = started, r.step > 0, r.step < r.total {
      let elapsed = Double(now - s.at) / 1e9
      let eta = elapsed / Double(r.step) * Double(r.total - r.step)
      line += String(format: "  ETA %.0fs", eta)
    }
    FileHandle.standardError.write(("\r\u{1B}[K" + line).data(using: .utf8) ?? Data())
    shown = true
  }

  func clear() {
    guard enabled, shown else { return }
    FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8) ?? Data())
    shown = false
  }
}
