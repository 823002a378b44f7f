import Files
import Foundation
import Testing

@testable import Sound

@Suite struct WAVTests {
  @Test func headerFields() {
    let bytes = WAV.encode([0, 0.5, -0.5, 1], sampleRate: 22050)
    #expect(bytes.count == 44 + 8)
    func u32(_ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[o + $1]) << (8 * $1) } }
    func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
    #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
    #expect(u32(4) == 36 + 8)
    #expect(Array(bytes[8..<16]) == Array("WAVEfmt ".utf8))
    #expect(u32(16) == 16)
    #expect(u16(20) == 1)  // PCM
    #expect(u16(22) == 1)  // mono
    #expect(u32(24) == 22050)
    #expect(u32(28) == 44100)  // byte rate
    #expect(u16(32) == 2)  // block align
    #expect(u16(34) == 16)
    #expect(Array(bytes[36..<40]) == Array("data".utf8))
    #expect(u32(40) == 8)
    // Samples: 0, 16384 (0.5 * 32767 rounded), -16384, 32767.
    #expect(Array(bytes[44...]) == [0x00, 0x00, 0x00, 0x40, 0x00, 0xC0, 0xFF, 0x7F])
  }

  @Test func clampsOutOfRange() {
    let bytes = WAV.encode([2, -2, .nan])
    #expect(Array(bytes[44...]) == [0xFF, 0x7F, 0x01, 0x80, 0x00, 0x00])
  }

  @Test func roundTripsRenderedMelody() throws {
    let s = Synth.render([SynthNote(pitch: 69, start: 0, duration: 1)], sampleRate: 8000)
    let d = try WAV.decode(WAV.encode(s, sampleRate: 8000))
    #expect(d.sampleRate == 8000 && d.channels == 1 && d.bitsPerSample == 16)
    #expect(d.samples.count == s.count)
    #expect(zip(d.samples, s).allSatisfy { abs($0 - $1) <= 1.0 / 32767 })
  }

  @Test func decodeRejectsTruncatedAndForeignFiles() {
    #expect(throws: WAVError.self) { try WAV.decode(Array(WAV.encode([0.1]).prefix(20))) }
    var bytes = WAV.encode([0.1])
    bytes[20] = 3  // float format
    #expect(throws: WAVError(offset: 20, message: "not PCM (format 3)")) { try WAV.decode(bytes) }
  }

  @Test func writeIsAtomicAndReadable() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("midigen-wav-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("a.wav").path
    try WAV.write([0.25, -0.25], sampleRate: 8000, to: path)
    try WAV.write([0.5], sampleRate: 8000, to: path)  // overwrite
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(bytes == WAV.encode([0.5], sampleRate: 8000))
    // No temporary files are left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.wav"])
    #expect(throws: AtomicFile.WriteError.self) {
      try WAV.write([0], sampleRate: 8000, to: dir.path + "/missing/x.wav")
    }
  }
}
