/// Normal order of a pitch-class set, exactly as music21's `chord.Chord(...).normalOrder`.
///
/// Forte's rule: of the rotations of the ascending pitch classes, take the one with the smallest
/// span (first to last, mod 12); on a tie, the one whose intervals from the first element to the
/// second, third, ... are smallest, compared left to right ("packed to the left"); on a
/// remaining tie (symmetric sets), the one starting on the lowest pitch class. Checked against
/// music21 10.5 on all 4,095 non-empty sets.
enum NormalOrder {
  /// Normal order of the set whose bit `pc` is set for each pitch class present (mask 1...4095).
  static func of(mask: Int) -> [Int] {
    let pcs = (0..<12).filter { mask >> $0 & 1 == 1 }
    let n = pcs.count
    guard n > 1 else { return pcs }
    var best: [Int] = []
    var bestKey: [Int] = []
    for r in 0..<n {
      let rot = Array(pcs[r...] + pcs[..<r])
      let iv = rot.map { ($0 - rot[0] + 12) % 12 }
      let key = [iv[n - 1]] + iv[1..<(n - 1)]
      // Rotations are visited in ascending start order, so `<` keeps the lowest start on ties.
      if best.isEmpty || key.lexicographicallyPrecedes(bestKey) {
        best = rot
        bestKey = key
      }
    }
    return best
  }

  /// `tokens[mask]`: the normal order joined by `.`, for every mask 0...4095 (0 is ""). Built once.
  static let tokens: [String] = (0..<4096).map { of(mask: $0).map(String.init).joined(separator: ".") }
}
