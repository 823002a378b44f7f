/// ABC files as dataset songs: one song per tune, encoded as a MIDI file would be.
enum ABCSongs {
  /// The tunes of `file` in order. A song is named after the file (without `.abc`) when the file
  /// holds one tune, else `FILE#X` (`0001-0050#17`; a repeated X number gets `-2`, `-3`, ...).
  /// A tune that cannot be read, or has no notes, is a failure named `FILE:LINE:COL`.
  static func load(_ file: String, options: EncodingOptions) -> [Result<Song, LoadFailure>] {
    let tunes: [Result<ABCTune, ABCError>]
    do {
      tunes = try ABCReader.read(path: file)
    } catch {
      return [.failure(LoadFailure(file: file, reason: "\(error)"))]
    }
    if tunes.isEmpty { return [.failure(LoadFailure(file: file, reason: "no tunes (no X: field)"))] }
    let base = MelodyIO.songName(file)
    var used: [String: Int] = [:]
    return tunes.map { r in
      switch r {
      case .failure(let e):
        return .failure(LoadFailure(file: "\(file):\(e.line):\(e.column)", reason: e.message))
      case .success(let tune):
        var name = tunes.count == 1 ? base : "\(base)#\(tune.number)"
        used[name, default: 0] += 1
        if let n = used[name], n > 1 { name += "-\(n)" }
        guard !tune.notes.isEmpty else {
          return .failure(LoadFailure(file: "\(file):\(tune.line):1", reason: "no notes"))
        }
        return .success(MelodyCodec.encode(tune.midiFile, name: name, options: options))
      }
    }
  }
}
