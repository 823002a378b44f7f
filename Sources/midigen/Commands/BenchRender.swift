import Foundation
import Sound

/// `midigen bench render [--seconds 60] [--runs 5] [--seed 1]`: synthesizes a random melody of the
/// given length (120 quarters per minute, a melody line plus a three-note chord every bar) and reports
/// the median wall time of `Synth.render` over several runs, the real-time factor, and the median time of
/// `WAV.encode` for the result.
func benchRender(_ args: [String]) -> Int32 {
  do {
    let a = try Args(args, valued: ["seconds", "runs", "seed"])
    if a.flag("help") {
      print("usage: midigen bench render [--seconds 60] [--runs 5] [--seed 1]")
      return 0
    }
    try a.rejectUnknown(flags: ["help"])
    let seconds = try a.double("seconds", default: 60, in: 0...3600)
    let runs = try a.int("runs", default: 5, in: 1...1000)
    let seed = try a.int("seed", default: 1, in: 0...Int.max)
    guard seconds > 0, seconds <= 3600 else { throw ArgsError("--seconds must be in (0, 3600]") }
    guard runs >= 1 else { throw ArgsError("--runs must be at least 1") }
    let notes = benchMelody(quarters: seconds * 2, seed: UInt64(truncatingIfNeeded: seed))
    var renderTimes: [Double] = []
    var encodeTimes: [Double] = []
    var samples: [Float] = []
    for _ in 0..<runs {
      let t0 = DispatchTime.now().uptimeNanoseconds
      samples = Synth.render(notes, tempo: 120, sampleRate: 44100)
      let t1 = DispatchTime.now().uptimeNanoseconds
      let bytes = WAV.encode(samples, sampleRate: 44100)
      let t2 = DispatchTime.now().uptimeNanoseconds
      precondition(bytes.count == WAV.headerSize + 2 * samples.count)
      renderTimes.append(Double(t1 - t0) / 1e9)
      encodeTimes.append(Double(t2 - t1) / 1e9)
    }
    func ms(_ v: Double) -> String { String(format: "%.1f", v * 1000) }
    renderTimes.sort()
    encodeTimes.sort()
    let median = renderTimes[runs / 2]
    let audio = Double(samples.count) / 44100
    print("render: \(notes.count) notes, \(String(format: "%.1f", audio)) s of audio at 44.1 kHz, \(runs) runs")
    print(
      "synth   median \(ms(median)) ms (min \(ms(renderTimes[0])) ms), "
        + "\(String(format: "%.0f", audio / median))x real time")
    print("encode  median \(ms(encodeTimes[runs / 2])) ms (16-bit PCM WAV, \(WAV.headerSize + 2 * samples.count) bytes)")
    return 0
  } catch {
    printError("midigen bench render: \(error)")
    return 2
  }
}

/// A deterministic random melody: eighth and quarter notes in C major around C5, plus a sustained
/// triad each bar (4 quarters), up to `quarters` long.
func benchMelody(quarters: Double, seed: UInt64) -> [SynthNote] {
  var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  func next(_ n: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(n))
  }
  let scale = [0, 2, 4, 5, 7, 9, 11]
  var notes: [SynthNote] = []
  var t = 0.0
  while t < quarters {
    let d = next(2) == 0 ? 0.5 : 1.0
    notes.append(
      SynthNote(pitch: 72 + scale[next(7)] - 12 * next(2), start: t, duration: d, velocity: 70 + next(40)))
    t += d
  }
  var bar = 0.0
  while bar < quarters {
    let root = 48 + scale[next(7)]
    for i in [0, 4, 7] {
      notes.append(SynthNote(pitch: root + i, start: bar, duration: min(4, quarters - bar), velocity: 60))
    }
    bar += 4
  }
  return notes
}
