import Dispatch
import Files
import Foundation
import MIDI

/// A file that could not be used, and why.
public struct LoadFailure: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var reason: String

  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }

  /// `file: reason`.
  public var description: String { "\(file): \(reason)" }
}

/// Songs encoded from a set of MIDI files, with the files that failed and the vocabulary.
public struct Dataset: Sendable {
  /// The path (file, directory or glob) the dataset was loaded from.
  public var source: String
  public var options: EncodingOptions
  /// In file path order.
  public var songs: [Song]
  public var failures: [LoadFailure]
  /// Built from `songs`.
  public var vocab: Vocabulary

  public init(source: String, options: EncodingOptions, songs: [Song], failures: [LoadFailure] = []) {
    self.source = source
    self.options = options
    self.songs = songs
    self.failures = failures
    self.vocab = Vocabulary(songs: songs)
  }

  /// Loads `path` (a file, a directory searched recursively for .mid/.midi/.kar/.rmi/.smf and
  /// .abc, or a glob), at most `limit` files in path order; an ABC file gives one song per tune. Files are read and encoded in parallel on all
  /// cores; the result does not depend on the thread count. A file that fails to parse, or has
  /// no notes, is recorded in `failures` and skipped. Throws only when the path names no file
  /// or the options are invalid. `threads` (default: all cores) only changes the speed.
  ///
  /// `onFile(done, total)` is called (from the loading threads) before each file; returning false stops
  /// the load with `LoadStopped`.
  public static func load(
    _ path: String, options: EncodingOptions, limit: Int? = nil, threads: Int? = nil,
    onFile: (@Sendable (Int, Int) -> Bool)? = nil
  ) throws -> Dataset {
    guard options.quantize >= 1 else { throw MelodyError.badOptions("quantize must be at least 1") }
    var found = try DatasetFiles.expand(path)
    if let limit { found = Array(found.prefix(max(0, limit))) }
    let files = found
    guard !files.isEmpty else { throw MelodyError.noFiles(path) }

    var results = [[Result<Song, LoadFailure>]?](repeating: nil, count: files.count)
    let workers = min(max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount), files.count)
    results.withUnsafeMutableBufferPointer { buf in
      let box = SendableBuffer(buf)
      // Workers take the next file from a shared counter (good balance on a busy machine); each
      // result slot is written by exactly one worker, so the result is the same for any count.
      let counter = WorkCounter()
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let i = counter.next(below: files.count) {
          if let onFile, !onFile(i, files.count) { break }
          box.buffer[i] = loadOne(files[i], options: options)
        }
      }
    }
    if let stop = results.firstIndex(where: { $0 == nil }) { throw LoadStopped(files: stop, total: files.count) }
    var songs: [Song] = []
    var failures: [LoadFailure] = []
    for r in results.compactMap({ $0 }).joined() {
      switch r {
      case .success(let s): songs.append(s)
      case .failure(let f): failures.append(f)
      }
    }
    return Dataset(source: path, options: options, songs: songs, failures: failures)
  }

  static func loadOne(_ file: String, options: EncodingOptions) -> [Result<Song, LoadFailure>] {
    if file.lowercased().hasSuffix(".abc") { return ABCSongs.load(file, options: options) }
    return [loadMIDI(file, options: options)]
  }

  static func loadMIDI(_ file: String, options: EncodingOptions) -> Result<Song, LoadFailure> {
    do {
      let song = try MelodyIO.readSong(path: file, options: options)
      if song.events.isEmpty { return .failure(LoadFailure(file: file, reason: "no notes")) }
      return .success(song)
    } catch let e as MIDIError {
      return .failure(LoadFailure(file: file, reason: e.locatedMessage))
    } catch {
      return .failure(LoadFailure(file: file, reason: "\(error)"))
    }
  }

  /// The files `load` would read for `path` (file, directory or glob), sorted; throws if the path
  /// does not exist.
  public static func files(matching path: String) throws -> [String] {
    try DatasetFiles.expand(path)
  }

  /// Total number of events over all songs.
  public var eventCount: Int { songs.reduce(0) { $0 + $1.events.count } }

  /// One line: `SOURCE: N files, K skipped, E events, vocabulary V tokens (chords normal, quantize 12)`.
  public var summary: String {
    let files = songs.count + failures.count
    return "\(source): \(files) files, \(failures.count) skipped, \(eventCount) events, "
      + "vocabulary \(vocab.count) tokens (chords \(options.chords.rawValue), quantize \(options.quantize)"
      + (options.drums ? ", drums)" : ")")
  }

  /// JSON Lines, one song per line: `{"name":..,"tokens":[..],"offsets":[..]}`.
  public func jsonLines() -> String {
    var out = ""
    for s in songs {
      out += "{\"name\":" + JSONText.quote(s.name) + ",\"tokens\":["
      out += s.events.map { JSONText.quote($0.token) }.joined(separator: ",")
      out += "],\"offsets\":["
      out += s.events.map { JSONText.number($0.offset) }.joined(separator: ",")
      out += "]}\n"
    }
    return out
  }

  /// Writes `jsonLines()` to `path` atomically.
  public func writeJSONL(to path: String) throws {
    try AtomicFile.write(jsonLines(), to: path)
  }
}

/// Lets `concurrentPerform` workers write disjoint elements of one buffer. Safe because each index
/// is written by exactly one worker and the call returns only after all workers end.
struct SendableBuffer<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// Hands out 0, 1, 2, ... to concurrent workers.
final class WorkCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  /// The next index, or nil once `limit` is reached.
  func next(below limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}

/// Thrown by `Dataset.load` when its `onFile` callback asked it to stop; `files` were read before.
public struct LoadStopped: Error, Sendable {
  public var files: Int
  public var total: Int
}
