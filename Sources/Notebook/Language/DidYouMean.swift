/// "Did you mean" suggestions by edit distance.
public enum DidYouMean {
  /// The candidate closest to `word` (Levenshtein distance, case-insensitive), if it is close enough:
  /// distance <= max(1, word.count / 3). Ties go to the alphabetically first candidate (deterministic).
  public static func suggest(_ word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased().unicodeScalars)
    let limit = max(1, w.count / 3)
    var best: (d: Int, name: String)? = nil
    for c in Set(candidates).sorted() where c != word {
      let d = distance(w, Array(c.lowercased().unicodeScalars))
      if d <= limit && (best == nil || d < best!.d) { best = (d, c) }
    }
    return best?.name
  }

  /// Levenshtein distance, with an adjacent transposition counting as one edit.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}
