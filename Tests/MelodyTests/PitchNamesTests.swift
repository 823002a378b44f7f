import Testing

@testable import Melody

@Suite struct PitchNamesTests {
  /// `str(music21.pitch.Pitch(midi=m))` for m in 0...127 (music21 10.5.1).
  static let music21Names = """
    C-1 C#-1 D-1 E--1 E-1 F-1 F#-1 G-1 G#-1 A-1 B--1 B-1 C0 C#0 D0 E-0 E0 F0 F#0 G0 G#0 A0 B-0 B0 C1 C#1 D1 \
    E-1 E1 F1 F#1 G1 G#1 A1 B-1 B1 C2 C#2 D2 E-2 E2 F2 F#2 G2 G#2 A2 B-2 B2 C3 C#3 D3 E-3 E3 F3 F#3 G3 G#3 \
    A3 B-3 B3 C4 C#4 D4 E-4 E4 F4 F#4 G4 G#4 A4 B-4 B4 C5 C#5 D5 E-5 E5 F5 F#5 G5 G#5 A5 B-5 B5 C6 C#6 D6 \
    E-6 E6 F6 F#6 G6 G#6 A6 B-6 B6 C7 C#7 D7 E-7 E7 F7 F#7 G7 G#7 A7 B-7 B7 C8 C#8 D8 E-8 E8 F8 F#8 G8 G#8 \
    A8 B-8 B8 C9 C#9 D9 E-9 E9 F9 F#9 G9
    """.split(separator: " ").map(String.init)

  @Test func namesMatchMusic21() {
    #expect(Self.music21Names.count == 128)
    #expect((0...127).map(MelodyCodec.noteName) == Self.music21Names)
    #expect(MelodyCodec.noteName(61) == "C#4")
    #expect(MelodyCodec.noteName(63) == "E-4")
  }

  @Test func namesReadBackFromOctaveZeroUp() throws {
    for m in 12...127 { #expect(try MelodyCodec.pitches(of: MelodyCodec.noteName(m)) == [m]) }
  }

  /// A `-` is a flat, as music21 reads it (`Pitch('C-1').midi == 23`, `Pitch('E--1').midi == 26`).
  @Test func dashIsAlwaysAFlatAsInMusic21() throws {
    #expect(try MelodyCodec.pitches(of: "C-1") == [23])
    #expect(try MelodyCodec.pitches(of: "E--1") == [26])
    #expect(try MelodyCodec.pitches(of: "E-1") == [27])
    #expect(try MelodyCodec.pitches(of: "c##4") == [62])
    #expect(try MelodyCodec.pitches(of: "B#3") == [60])
  }

  @Test(arguments: [
    "", "H4", "C", "C#", "Cx4", "C4.", "C123", "G9#", "B#9", "C-0x", "4C", "0..4", "0.4.", "128", "-1",
    "1.2.300",
  ])
  func badTokensAreErrorsNamingTheToken(token: String) {
    #expect(throws: MelodyError.self) { try MelodyCodec.pitches(of: token) }
    do {
      _ = try MelodyCodec.pitches(of: token)
    } catch {
      #expect("\(error)".contains("'\(token)'"))
    }
  }

  @Test func chordTokens() throws {
    #expect(try MelodyCodec.pitches(of: "0.4.7") == [60, 64, 67])
    #expect(try MelodyCodec.pitches(of: "10.2.5") == [70, 62, 65])
    #expect(try MelodyCodec.pitches(of: "5") == [65])
    #expect(try MelodyCodec.pitches(of: "48.55.64") == [48, 55, 64])
    #expect(try MelodyCodec.pitches(of: "7.60") == [7, 60])
  }
}
