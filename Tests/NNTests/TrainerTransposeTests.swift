import Testing
@testable import NN

/// Data augmentation by transposition (`TrainOptions.transpositions`).
@Suite struct TrainerTransposeTests {
  @Test func versionsKeepOnlyMapsThatCoverEveryToken() {
    let songs = [TokenSequence(ids: [1, 2, 1], offsets: [0, 0.5, 0.5]), TokenSequence(ids: [1, 3], offsets: [0, 1])]
    // Map A moves 1->2, 2->3, 3 has no image; map B moves 1->3, 3->1, 2 has no image.
    let a = [0, 2, 3, -1], b = [0, 3, -1, 1]
    let v = Trainer.transposedVersions(songs, [a, b])
    #expect(v.count == 2)
    #expect(v[0].map(\.ids) == [[1, 2, 1], [2, 3, 2]])
    #expect(v[1].map(\.ids) == [[1, 3], [3, 1]])
    #expect(v[0][1].offsets == songs[0].offsets)
    #expect(Trainer.transposedVersions(songs, []).isEmpty)
  }

  static func train(_ maps: [[Int]]) throws -> GRUNet {
    let V = 8
    let m = GRUNet(config: GRUConfig(vocabSize: V, hidden: 16, layers: 1, dropout: 0),
                   vocab: TrainerTests.vocab(V), seed: 5)
    var o = TrainOptions()
    o.steps = 6; o.batch = 3; o.seq = 12; o.valid = 0.25; o.seed = 2; o.transpositions = maps
    _ = try Trainer.train(m, on: TrainerTests.patternSongs(4, length: 30), options: o) { _ in true }
    return m
  }

  @Test func augmentedTrainingIsDeterministicAndDiffers() throws {
    let up = [0] + (1..<8).map { $0 % 7 + 1 }
    let a = try Self.train([up]), b = try Self.train([up]), plain = try Self.train([])
    #expect(a.history.train == b.history.train)
    #expect(a.history.train != plain.history.train)
    // A map of the wrong size is refused.
    #expect(throws: NNError.self) { try Self.train([[0, 1]]) }
  }
}
