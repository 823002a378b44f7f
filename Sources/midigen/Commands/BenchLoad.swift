import Foundation
import MIDI
import Melody

/// `midigen bench load PATH [--runs N] [--threads N] [--chords ...] [--quantize N] [--drums]`
///
/// Times `Dataset.load` (read + parse + encode, parallel over files) on PATH: one warm-up run,
/// then N timed runs; prints the median (and min/max) as files/s, MB/s and events/s.
func benchLoad(_ argv: [String]) -> Int32 {
  do {
    let args = try Args(argv, valued: ["runs", "threads", "chords", "quantize"])
    try args.rejectUnknown(flags: ["drums", "help"])
    guard let path = args.positional.first, args.positional.count == 1, !args.flag("help") else {
      printError(
        "usage: midigen bench load PATH [--runs N] [--threads N] [--chords normal|pitches] [--quantize N]"
          + " [--drums]")
      return args.flag("help") ? 0 : 2
    }
    let runs = try args.int("runs", default: 7, in: 1...1000)
    guard runs >= 1 else { throw ArgsError("--runs must be at least 1") }
    let threads = try args.int("threads", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...256)
    guard threads >= 1 else { throw ArgsError("--threads must be at least 1") }
    let options = try encodingOptions(args)
    let files = try Dataset.files(matching: path)
    var bytes = 0
    for f in files {
      let size = (try FileManager.default.attributesOfItem(atPath: f)[.size] as? NSNumber)?.intValue ?? 0
      bytes += size
    }
    var warm = try Dataset.load(path, options: options, threads: threads)
    var times: [Double] = []
    for _ in 0..<runs {
      let t0 = DispatchTime.now().uptimeNanoseconds
      warm = try Dataset.load(path, options: options, threads: threads)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    times.sort()
    let median = times[times.count / 2]
    let n = Double(files.count)
    let events = Double(warm.eventCount)
    print(warm.summary)
    print(
      String(
        format: "bench load: %d files, %.2f MB, %d runs: median %.2f ms (min %.2f, max %.2f), %.3f ms/file",
        files.count, Double(bytes) / 1e6, runs, median * 1e3, times[0] * 1e3, times[times.count - 1] * 1e3,
        median * 1e3 / max(1, n)))
    print(
      String(
        format: "  %.0f files/s, %.1f MB/s, %.0f events/s (threads: %d)", n / median,
        Double(bytes) / 1e6 / median, events / median, threads))
    return 0
  } catch {
    printError("midigen bench load: \(error)")
    return 2
  }
}
