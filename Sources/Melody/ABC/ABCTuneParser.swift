import MIDI

/// Reads one tune (its lines, from `X:` to before the blank line) into notes. See `ABCReader` for
/// what is understood. Times are kept in quarter notes and rounded to ticks at the end.
struct ABCTuneParser {
  /// A note or chord (or rest: no pitches) whose length may still change (broken rhythm, ties).
  struct Pending {
    var pitches: [Int]
    var tied: [Bool]
    var quarters: Double
  }

  /// A voice's own time line.
  struct Voice {
    var time: Double = 0
    var ties: [Int: Int] = [:]  // pitch -> index in `starts` of a note tied into the next event
  }

  let firstLine: Int
  var number = 0
  var title = ""
  var unit: Double? = nil  // L: as a fraction of a whole note; nil: from the meter
  var meter: Double? = 1
  var meterTop = 4
  var tempo: Double = 120
  var key = [Int](repeating: 0, count: 7)
  var measure: [Int: Int] = [:]  // letter * 100 + octave -> shift, until the next bar
  var voices: [String: Voice] = [:]
  var voiceName = "1"
  var voice = Voice()
  var pending: Pending? = nil
  var nextFactor: Double = 1  // from broken rhythm, for the next event
  var tupletLeft = 0
  var tupletFactor: Double = 1
  var starts: [Double] = []
  var ends: [Double] = []
  var pitchOf: [Int] = []
  /// The last thing read was a bar line (an ending number may follow, even on the next line).
  var afterBar = false

  // Location of the byte being read.
  var line = 0
  var bytes: [UInt8] = []
  var i = 0

  init(firstLine: Int) { self.firstLine = firstLine }

  func error(_ message: String, at column: Int? = nil) -> ABCError {
    ABCError(line: line, column: (column ?? i) + 1, message: message)
  }

  var unitLength: Double {
    if let unit { return unit }
    if let m = meter, m < 0.75 { return 1.0 / 16 }
    return 1.0 / 8
  }

  mutating func parse(_ lines: [ArraySlice<UInt8>]) throws -> ABCTune {
    var inBody = false
    var continuedComment = false
    for (k, slice) in lines.enumerated() {
      line = firstLine + k
      bytes = Array(slice)
      if bytes.last == 13 { bytes.removeLast() }
      i = 0
      // A comment or `%%` directive ending in `\` goes on over the next line (abcm2ps's
      // `%%Bfly ... \` in Aird's Airs): that line is part of the comment too.
      if continuedComment || bytes.first == UInt8(ascii: "%") {
        continuedComment = bytes.last(where: { $0 != 32 && $0 != 9 }) == UInt8(ascii: "\\")
        continue
      }
      if ABCReader.isField(slice, nil) {
        try field(bytes[0], value: 2, inBody: inBody)
        if bytes[0] == UInt8(ascii: "K") { inBody = true }
        continue
      }
      if !inBody {
        if ABCReader.isBlank(slice) { continue }
        throw error("expected a header field (like K:) before the tune's notes", at: 0)
      }
      try music()
    }
    guard inBody else { throw ABCError(line: firstLine, column: 1, message: "tune has no K: field") }
    try flush()
    var order = Array(0..<starts.count)
    order.sort { (starts[$0], pitchOf[$0]) < (starts[$1], pitchOf[$1]) }
    let d = Double(ABCTune.division)
    let notes = order.map { n -> MIDINote in
      let s = Int((starts[n] * d).rounded())
      return MIDINote(pitch: pitchOf[n], velocity: 80, startTick: s, endTick: max(s, Int((ends[n] * d).rounded())))
    }
    return ABCTune(number: number, title: title, line: firstLine, notes: notes, tempo: tempo)
  }

  // MARK: fields

  /// A field line or inline field: `bytes[letter]` is its letter, its value runs from `value` to
  /// the end of the line (or `end`).
  mutating func field(_ letter: UInt8, value: Int, end: Int? = nil, inBody: Bool) throws {
    let stop = min(end ?? bytes.count, bytes.count)
    var text = String(decoding: bytes[min(value, stop)..<stop], as: UTF8.self)
    if let pct = text.firstIndex(of: "%") { text = String(text[..<pct]) }
    let v = String(text.trimmingSpaces())
    do {
      switch letter {
      case UInt8(ascii: "X"):
        number = Int(v.prefix(while: { $0.isNumber }).prefix(9)) ?? 0
      case UInt8(ascii: "T"):
        if title.isEmpty { title = v }
      case UInt8(ascii: "K"):
        try flush()
        key = try ABCFields.key(v)
        measure = [:]
      case UInt8(ascii: "L"):
        try flush()
        unit = try ABCFields.fraction(Substring(v))
      case UInt8(ascii: "M"):
        try flush()
        meter = try ABCFields.meter(v)
        meterTop = ABCFields.meterTop(v)
      case UInt8(ascii: "Q"):
        if let q = try ABCFields.tempo(v) { tempo = q }
      case UInt8(ascii: "V"):
        try flush()
        let name = String(v.prefix(while: { $0 != " " && $0 != "\t" }))
        voices[voiceName] = voice
        voiceName = name
        voice = voices[name] ?? Voice()
        measure = [:]
      default:
        break
      }
    } catch let e as FieldError {
      throw error(e.message, at: value)
    }
  }

  // MARK: music lines

  func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

  mutating func music() throws {
    while i < bytes.count {
      let c = bytes[i]
      if afterBar && c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") {
        skipEnding()
        afterBar = false
        continue
      }
      if c != 32 && c != 9 && c != UInt8(ascii: "\\") { afterBar = false }
      switch c {
      case 32, 9, UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "y"), UInt8(ascii: ")"):
        i += 1
      case UInt8(ascii: "%"):
        return
      case UInt8(ascii: "\""):
        try skip(to: UInt8(ascii: "\""), what: "text in quotes")
      case UInt8(ascii: "!"), UInt8(ascii: "+"):
        // `!trill!` / `+trill+`; an unpaired `!` is an old line break.
        if let close = bytes[(i + 1)...].firstIndex(of: c) { i = close + 1 } else { i += 1 }
      case UInt8(ascii: "{"):
        try skip(to: UInt8(ascii: "}"), what: "grace notes")
      case UInt8(ascii: "("):
        i += 1
        if peek() >= UInt8(ascii: "1") && peek() <= UInt8(ascii: "9") { try tuplet() }
      case UInt8(ascii: "-"):
        if var p = pending {
          p.tied = p.pitches.map { _ in true }
          pending = p
        }
        i += 1
      case UInt8(ascii: ">"), UInt8(ascii: "<"):
        try broken(c)
      case UInt8(ascii: "|"), UInt8(ascii: ":"):
        try bar()
      case UInt8(ascii: "["):
        try bracket()
      case UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "="),
        UInt8(ascii: "A")...UInt8(ascii: "G"), UInt8(ascii: "a")...UInt8(ascii: "g"):
        let col = i
        let p = try note()
        let q = try length() * unitLength * 4
        try event(pitches: [p], quarters: q, at: col)
      case UInt8(ascii: "z"), UInt8(ascii: "x"):
        let col = i
        i += 1
        try event(pitches: [], quarters: try length() * unitLength * 4, at: col)
      case UInt8(ascii: "Z"), UInt8(ascii: "X"):
        let col = i
        i += 1
        let bars = try number(max: 10_000) ?? 1
        try event(pitches: [], quarters: Double(bars) * (meter ?? 1) * 4, at: col)
      case UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "H")...UInt8(ascii: "W"), UInt8(ascii: "Y"),
        UInt8(ascii: "h")...UInt8(ascii: "w"):
        i += 1  // decorations
      case UInt8(ascii: "&"):
        throw error("voice overlay '&' is not supported")
      default:
        if c >= 128 { throw error("unexpected byte 0x\(String(c, radix: 16)) in the music (not ASCII)") }
        throw error("unexpected '\(Character(Unicode.Scalar(c)))' in the music")
      }
    }
  }

  /// Skips from the opening byte at `i` past the matching `close` on the same line.
  mutating func skip(to close: UInt8, what: String) throws {
    guard let end = bytes[(i + 1)...].firstIndex(of: close) else {
      throw error("\(what) not closed on this line")
    }
    i = end + 1
  }

  /// An unsigned number of at most 6 digits at `i` (nil if no digit), at most `max`.
  mutating func number(max: Int) throws -> Int? {
    let col = i
    var n = 0
    var digits = 0
    while i < bytes.count, bytes[i] >= 48 && bytes[i] <= 57 {
      n = n * 10 + Int(bytes[i] - 48)
      digits += 1
      i += 1
      if digits > 6 || n > max { throw error("number too large (at most \(max))", at: col) }
    }
    return digits == 0 ? nil : n
  }

  /// A length multiplier: `3`, `3/2`, `/`, `//`, `/4`, `3//` (1 when absent).
  mutating func length() throws -> Double {
    let col = i
    let top = try number(max: 4096) ?? 1
    var bottom = 1
    while peek() == UInt8(ascii: "/") {
      i += 1
      bottom *= try number(max: 4096) ?? 2
      if bottom > 1 << 16 { throw error("note length too short", at: col) }
    }
    guard top > 0 else { throw error("note length 0", at: col) }
    return Double(top) / Double(bottom)
  }

  /// A pitch: accidental, letter, octave marks. Applies the key and the measure's accidentals.
  mutating func note() throws -> Int {
    let col = i
    var explicit: Int? = nil
    if let (shift, used) = ABCFields.accidental(bytes, i) {
      explicit = shift
      i += used
    }
    guard i < bytes.count, let letter = ABCFields.letterIndex(bytes[i]),
      (bytes[i] >= 65 && bytes[i] <= 71) || (bytes[i] >= 97 && bytes[i] <= 103)
    else { throw error("expected a note letter after the accidental", at: col) }
    var octave = bytes[i] >= 97 ? 5 : 4
    i += 1
    while i < bytes.count && (bytes[i] == UInt8(ascii: "'") || bytes[i] == UInt8(ascii: ",")) {
      octave += bytes[i] == UInt8(ascii: "'") ? 1 : -1
      i += 1
      if octave < -2 || octave > 12 { throw error("octave out of range", at: col) }
    }
    let slot = letter * 100 + octave + 10
    if let e = explicit { measure[slot] = e }
    let shift = measure[slot] ?? key[letter]
    let pitch = (octave + 1) * 12 + ABCFields.natural[letter] + shift
    guard pitch >= 0 && pitch <= 127 else { throw error("pitch outside the MIDI range 0...127", at: col) }
    return pitch
  }

  /// `(p`, `(p:q`, `(p:q:r` after the `(`.
  mutating func tuplet() throws {
    let p = try number(max: 64) ?? 3
    var q: Int? = nil
    var r: Int? = nil
    if peek() == UInt8(ascii: ":") {
      i += 1
      q = try number(max: 64)
      if peek() == UInt8(ascii: ":") {
        i += 1
        r = try number(max: 64)
      }
    }
    let compound = meterTop % 3 == 0 && meterTop > 3
    let defaultQ: Int
    switch p {
    case 2, 4, 8: defaultQ = 3
    case 3, 6: defaultQ = 2
    default: defaultQ = compound ? 3 : 2
    }
    guard p > 0 else { throw error("tuplet of 0 notes") }
    tupletFactor = Double(q ?? defaultQ) / Double(p)
    tupletLeft = r ?? p
  }

  /// `>`, `>>`, `>>>` (or `<`): the pending event and the next one share their time unevenly.
  mutating func broken(_ c: UInt8) throws {
    var n = 0
    while peek() == c {
      n += 1
      i += 1
    }
    guard n <= 3 else { throw error("broken rhythm longer than 3", at: i - n) }
    guard var p = pending else { return }
    let small = 1 / Double(1 << n)
    p.quarters *= c == UInt8(ascii: ">") ? 2 - small : small
    pending = p
    nextFactor = c == UInt8(ascii: ">") ? small : 2 - small
  }

  /// Bar lines, repeats and endings: `|`, `||`, `|]`, `|:`, `:|`, `::`, `|1`, `:|2`, `[1` is in
  /// `bracket()`. A bar ends the measure's accidentals.
  mutating func bar() throws {
    while i < bytes.count, bytes[i] == UInt8(ascii: "|") || bytes[i] == UInt8(ascii: ":")
      || bytes[i] == UInt8(ascii: "]")
    {
      i += 1
    }
    measure = [:]
    skipEnding()
    afterBar = true
  }

  /// Ending numbers after a bar: `1`, `2`, `1,3`, `1-3`.
  mutating func skipEnding() {
    while i < bytes.count,
      (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "-")
    {
      i += 1
    }
  }

  /// `[|` (bar), `[1` (ending), `[K:...]` (inline field) or `[CEG]` (chord).
  mutating func bracket() throws {
    let col = i
    let next = peek(1)
    if next == UInt8(ascii: "|") {
      i += 1
      try bar()
      return
    }
    if next >= 48 && next <= 57 {
      i += 1
      skipEnding()
      return
    }
    if peek(2) == UInt8(ascii: ":") && ((next >= 65 && next <= 90) || (next >= 97 && next <= 122)) {
      guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "]")) else {
        throw error("inline field not closed with ']'")
      }
      try field(next, value: i + 3, end: close, inBody: true)
      i = close + 1
      return
    }
    i += 1
    var pitches: [Int] = []
    var tied: [Bool] = []
    var first: Double? = nil
    while true {
      guard i < bytes.count else { throw error("chord not closed with ']'", at: col) }
      let c = bytes[i]
      if c == UInt8(ascii: "]") {
        i += 1
        break
      }
      switch c {
      case 32, 9, UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "("), UInt8(ascii: ")"),
        UInt8(ascii: "H")...UInt8(ascii: "W"), UInt8(ascii: "u"), UInt8(ascii: "v"):
        i += 1  // decorations and slurs inside a chord (`[HC6HA6]`, `[E4(e4]c2)`) change no note
      case UInt8(ascii: "-"):
        if !tied.isEmpty { tied[tied.count - 1] = true }
        i += 1
      case UInt8(ascii: "\""):
        try skip(to: UInt8(ascii: "\""), what: "text in quotes")
      case UInt8(ascii: "!"):
        try skip(to: UInt8(ascii: "!"), what: "decoration")
      default:
        let p = try note()
        let l = try length()
        if first == nil { first = l }
        pitches.append(p)
        tied.append(false)
        if pitches.count > 64 { throw error("chord of more than 64 notes", at: col) }
      }
    }
    guard !pitches.isEmpty else { throw error("empty chord '[]'", at: col) }
    let q = (first ?? 1) * (try length()) * unitLength * 4
    try event(pitches: pitches, quarters: q, at: col)
    if peek() == UInt8(ascii: "-") {
      tied = tied.map { _ in true }
      i += 1
    }
    if var p = pending {
      p.tied = zip(p.tied, tied).map { $0 || $1 }
      pending = p
    }
  }

  // MARK: events

  /// Starts a new event: the pending one is placed, this one waits (its length may change).
  mutating func event(pitches: [Int], quarters: Double, at col: Int) throws {
    try flush()
    var q = quarters * nextFactor
    nextFactor = 1
    if tupletLeft > 0 {
      q *= tupletFactor
      tupletLeft -= 1
    }
    guard q > 0 && q.isFinite else { throw error("note length is not positive", at: col) }
    pending = Pending(pitches: pitches, tied: pitches.map { _ in false }, quarters: q)
  }

  /// Places the pending event on its voice's time line; a pitch tied from the previous event is
  /// lengthened instead of played again.
  mutating func flush() throws {
    guard let p = pending else { return }
    pending = nil
    let t = voice.time
    var ties: [Int: Int] = [:]
    for (k, pitch) in p.pitches.enumerated() {
      let index: Int
      if let prior = voice.ties[pitch] {
        ends[prior] = t + p.quarters
        index = prior
      } else {
        guard starts.count < ABCReader.maxNotes else {
          throw error("more than \(ABCReader.maxNotes) notes in one tune")
        }
        starts.append(t)
        ends.append(t + p.quarters)
        pitchOf.append(pitch)
        index = starts.count - 1
      }
      if p.tied[k] { ties[pitch] = index }
    }
    voice.ties = ties
    voice.time = t + p.quarters
    guard voice.time <= ABCReader.maxQuarters else {
      throw error("tune longer than \(Int(ABCReader.maxQuarters)) quarter notes")
    }
  }
}
