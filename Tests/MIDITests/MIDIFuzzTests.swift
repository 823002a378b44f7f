import Testing

@testable import MIDI

/// Never a crash, never a hang: every prefix and thousands of mutations of each fixture either
/// parse or throw a `MIDIError` whose offset lies inside the input.
@Suite struct MIDIFuzzTests {
  /// Parses; on error checks the offset. Returns true if parsed.
  @discardableResult
  func survive(_ bytes: [UInt8]) -> Bool {
    do {
      let f = try MIDIReader.read(bytes, name: "fuzz")
      _ = f.extractNotes(includeDrums: true)
      _ = MIDIWriter.bytes(f)
      return true
    } catch let e as MIDIError {
      #expect(e.offset >= 0 && e.offset <= bytes.count, "offset \(e.offset) outside \(bytes.count) bytes")
      return false
    } catch {
      Issue.record("unexpected error type \(error)")
      return false
    }
  }

  /// A cut inside the 14-byte header is an error; a cut anywhere later leaves a last chunk that
  /// overruns the file, which is read as far as it goes: a partial result that only grows as the
  /// cut moves right, with a warning.
  @Test(arguments: Fixtures.all.map(\.0))
  func everyTruncation(name: String) throws {
    let bytes = try #require(Fixtures.all.first { $0.0 == name }?.1)
    for n in 0..<14 { #expect(!survive(Array(bytes.prefix(n))), "prefix \(n)") }
    var lastCount = 0
    for n in 14..<bytes.count {
      let prefix = Array(bytes.prefix(n))
      let f: MIDIFile
      do {
        f = try MIDIReader.read(prefix, name: "cut")
      } catch {
        Issue.record("prefix \(n) of \(name) did not parse: \(error)")
        continue
      }
      let count = f.tracks.reduce(0) { $0 + $1.events.count }
      #expect(count >= lastCount, "prefix \(n)")
      #expect(!f.warnings.isEmpty, "prefix \(n)")
      lastCount = count
    }
    let whole = try MIDIReader.read(bytes, name: name)
    #expect(whole.warnings.isEmpty)
    #expect(whole.tracks.reduce(0) { $0 + $1.events.count } >= lastCount)
  }

  @Test(arguments: Fixtures.all.map(\.0))
  func randomMutations(name: String) throws {
    let base = try #require(Fixtures.all.first { $0.0 == name }?.1)
    var rng = SplitMix64(seed: UInt64(base.count))
    var parsed = 0
    for _ in 0..<3000 {
      var b = base
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let i = Int.random(in: 0..<b.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: b[i] = UInt8.random(in: 0...255, using: &rng)
        case 1: b[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
        case 2: b.remove(at: i)
        default: b.insert(UInt8.random(in: 0...255, using: &rng), at: i)
        }
        if b.isEmpty { break }
      }
      if survive(b) { parsed += 1 }
    }
    #expect(parsed > 0)  // mutations in data bytes mostly still parse
  }

  @Test func randomGarbage() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<2000 {
      let n = Int.random(in: 0..<64, using: &rng)
      var b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
      if Bool.random(using: &rng) {
        b = Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 1, 0, 96] + Array("MTrk".utf8) + b
      }
      survive(b)
    }
  }
}
