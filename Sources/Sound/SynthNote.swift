/// One note for the synthesizer, in musical time.
///
/// `start` and `duration` are in quarter notes (the unit of music21 offsets); the tempo given to
/// `Synth.render` turns them into seconds. `pitch` is a MIDI key number (69 = A4 = 440 Hz) and
/// `velocity` a MIDI velocity (1...127; 0 renders silence).
public struct SynthNote: Sendable, Equatable {
  /// MIDI key number; values outside 0...127 are clamped when rendering.
  public var pitch: Int
  /// Onset in quarter notes from the start of the piece; negative or non-finite values are treated as 0.
  public var start: Double
  /// Length in quarter notes; negative or non-finite values are treated as 0 (the note still gets its release).
  public var duration: Double
  /// MIDI velocity; clamped to 0...127 when rendering.
  public var velocity: Int

  public init(pitch: Int, start: Double, duration: Double, velocity: Int = 90) {
    self.pitch = pitch
    self.start = start
    self.duration = duration
    self.velocity = velocity
  }
}
