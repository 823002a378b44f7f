import Foundation

/// A melody as the page's player needs it: notes in quarters and a tempo.
public struct PlayerMelody: Sendable, Equatable {
  public struct Note: Sendable, Equatable {
    public var pitch: Int
    public var start: Double
    public var duration: Double
    public var velocity: Int
    public init(pitch: Int, start: Double, duration: Double, velocity: Int) {
      self.pitch = pitch
      self.start = start
      self.duration = duration
      self.velocity = velocity
    }
  }
  public var name: String
  public var tempo: Double
  public var notes: [Note]

  public init(name: String, tempo: Double, notes: [Note]) {
    self.name = name
    self.tempo = tempo
    self.notes = notes
  }

  /// Seconds of sound the player renders (the notes plus the synthesizer's release).
  public var seconds: Double {
    let spq = 60 / (tempo > 0 && tempo.isFinite ? tempo : 120)
    let end = notes.map { max(0, $0.start.isFinite ? $0.start : 0) + max(0, $0.duration.isFinite ? $0.duration : 0) }
      .max() ?? 0
    return notes.isEmpty ? 0 : end * spq + MelodyPlayer.release
  }

  /// `pitch,start,duration,velocity` per note, space-separated (numbers round-trip exactly).
  var encodedNotes: String {
    notes.map { "\($0.pitch),\(MelodyPlayer.number($0.start)),\(MelodyPlayer.number($0.duration)),\($0.velocity)" }
      .joined(separator: " ")
  }
}

/// The page's melody player: midigen's synthesizer (Sources/Sound/Synth.swift) in about 90 lines of
/// JavaScript, rendering each melody's notes to 44.1 kHz 16-bit PCM in the page, sample for sample as
/// `save(melody, "x.wav")` writes it, then playing it in an `<audio>` element (a `blob:` WAV).
///
/// The page carries note lists, not PCM: a 45-second melody is ~8 KB instead of 4 MB. JavaScript's
/// `Math.cos`/`Math.exp` may differ from the C library's in the last bit, so the per-pitch partial
/// coefficients (2cos w, sin(-w), the decay per sample) are computed here in Swift with the same
/// expressions as `Synth`, and the script uses only `+ - * /`, which IEEE 754 makes identical.
public enum MelodyPlayer {
  // The synthesizer's constants (Sound.Synth; Plot does not depend on Sound, a test compares them).
  public static let sampleRate = 44100
  public static let attack = 0.005
  public static let release = 0.25
  public static let peak: Float = 0.89
  public static let harmonics = 6

  /// Shortest text that reads back as the same Double (Swift's description), `inf`/`nan` as 0.
  static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "0" }

  /// The partials of one key: `(2cos w, sin(-w), decay per sample)` for each partial below Nyquist,
  /// computed exactly as `Synth.renderVoice` does.
  public static func partials(pitch: Int) -> [(c: Double, s1: Double, decay: Double)] {
    let rate = Double(sampleRate)
    let f0 = 440.0 * pow2((Double(pitch - 69)) / 12.0)
    var result: [(Double, Double, Double)] = []
    for k in 1...harmonics {
      let f = f0 * Double(k)
      if f >= rate / 2 { break }
      let w = 2 * Double.pi * f / rate
      let decayPerSecond = 0.8 + 0.6 * Double(k) + f0 / 600
      result.append((2 * cosine(w), sine(-w), exponential(-decayPerSecond / rate)))
    }
    return result
  }

  /// `pitch:c,s,d;c,s,d|pitch:…` for every pitch the melodies use.
  static func table(_ melodies: [PlayerMelody]) -> String {
    var pitches = Set<Int>()
    for m in melodies { for n in m.notes { pitches.insert(min(max(n.pitch, 0), 127)) } }
    return pitches.sorted().map { p in
      "\(p):" + partials(pitch: p).map { "\(number($0.c)),\(number($0.s1)),\(number($0.decay))" }
        .joined(separator: ";")
    }.joined(separator: "|")
  }

  /// The player script (one per page; its SHA-256 goes in the page's Content-Security-Policy).
  static let script = """
    (() => {
    'use strict';
    const RATE = 44100, ATTACK = 0.005, RELEASE = 0.25, PEAK = Math.fround(0.89);
    const tableEl = document.getElementById('midigen-synth');
    if (!tableEl) return;
    const table = new Map();
    for (const entry of tableEl.dataset.table.split('|')) {
      if (!entry) continue;
      const [p, parts] = entry.split(':');
      table.set(+p, parts ? parts.split(';').map(t => t.split(',').map(Number)) : []);
    }
    const fin = x => (Number.isFinite(x) ? x : 0);
    // Synth.render: notes [pitch, start, duration, velocity] in quarters -> Float32Array at RATE.
    function render(notes, tempo) {
      if (notes.length === 0) return new Float32Array(0);
      const spq = 60 / (tempo > 0 && Number.isFinite(tempo) ? tempo : 120);
      let end = 0;
      for (const n of notes) end = Math.max(end, (Math.max(0, fin(n[1])) + Math.max(0, fin(n[2]))) * spq);
      const count = Math.ceil((end + RELEASE) * RATE);
      const mix = new Float32Array(count);
      const releaseSamples = Math.round(RELEASE * RATE);
      const attackSamples = Math.max(1, Math.round(ATTACK * RATE));
      let voice = new Float64Array(0);
      for (const n of notes) {
        const amplitude = Math.min(Math.max(n[3], 0), 127) / 127;
        if (amplitude === 0) continue;
        const onset = Math.max(0, fin(n[1])) * spq, held = Math.max(0, fin(n[2])) * spq;
        const first = Math.round(onset * RATE), heldSamples = Math.round(held * RATE);
        const length = Math.min(heldSamples + releaseSamples, count - first);
        if (length <= 0) continue;
        if (voice.length < length) voice = new Float64Array(length);
        const parts = table.get(Math.min(Math.max(n[0], 0), 127)) || [];
        const K = parts.length, c = new Float64Array(K), s0 = new Float64Array(K), s1 = new Float64Array(K);
        const gain = new Float64Array(K), decay = new Float64Array(K);
        for (let k = 0; k < K; k++) {
          c[k] = parts[k][0]; s1[k] = parts[k][1]; decay[k] = parts[k][2];
          gain[k] = amplitude / ((k + 1) * (k + 1));
        }
        for (let i = 0; i < length; i++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += gain[k] * s0[k];
          voice[i] = sum;
          for (let k = 0; k < K; k++) {
            const s2 = c[k] * s0[k] - s1[k];
            s1[k] = s0[k]; s0[k] = s2; gain[k] *= decay[k];
          }
        }
        for (let i = 0; i < Math.min(attackSamples, length); i++) voice[i] *= i / attackSamples;
        for (let i = Math.max(heldSamples, 0); i < length; i++) {
          const r = 1 - (i - heldSamples) / releaseSamples;
          voice[i] *= r * r;
        }
        for (let i = 0; i < length; i++) mix[first + i] += Math.fround(voice[i]);
      }
      let top = 0;
      for (let i = 0; i < count; i++) top = Math.max(top, Math.abs(mix[i]));
      if (top > 0) {
        const scale = Math.fround(PEAK / top);
        for (let i = 0; i < count; i++) mix[i] *= scale;
      }
      return mix;
    }
    // WAV.encode: 44-byte header, 16-bit PCM mono, round(clamp(s) * 32767) half away from zero.
    function wav(samples) {
      const bytes = new Uint8Array(44 + 2 * samples.length), view = new DataView(bytes.buffer);
      const tag = (o, s) => { for (let i = 0; i < 4; i++) bytes[o + i] = s.charCodeAt(i); };
      tag(0, 'RIFF'); view.setUint32(4, 36 + 2 * samples.length, true); tag(8, 'WAVE'); tag(12, 'fmt ');
      view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
      view.setUint32(24, RATE, true); view.setUint32(28, RATE * 2, true); view.setUint16(32, 2, true);
      view.setUint16(34, 16, true); tag(36, 'data'); view.setUint32(40, 2 * samples.length, true);
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i], clamped = Number.isNaN(s) ? 0 : Math.min(Math.max(s, -1), 1);
        const x = Math.fround(clamped * 32767);
        view.setInt16(44 + 2 * i, Math.sign(x) * Math.round(Math.abs(x)), true);
      }
      return bytes;
    }
    const players = [...document.querySelectorAll('figure.player')];
    function next(k) {
      if (k >= players.length) return;
      const fig = players[k], audio = fig.querySelector('audio');
      const notes = fig.dataset.notes ? fig.dataset.notes.split(' ').map(t => t.split(',').map(Number)) : [];
      const bytes = wav(render(notes, Number(fig.dataset.tempo)));
      audio.midigenWav = bytes;
      const url = URL.createObjectURL(new Blob([bytes], {type: 'audio/wav'}));
      audio.src = url;
      const link = fig.querySelector('a.download');
      if (link) { link.href = url; link.hidden = false; }
      setTimeout(() => next(k + 1), 0);
    }
    next(0);
    })();
    """

  // The C library's functions, as Synth calls them.
  static func cosine(_ x: Double) -> Double { cos(x) }
  static func sine(_ x: Double) -> Double { sin(x) }
  static func exponential(_ x: Double) -> Double { exp(x) }
  static func pow2(_ x: Double) -> Double { pow(2.0, x) }
}
