/// A line diff for `--check`: unified-style hunks (`-` old, `+` new) with `context` lines around changes.
public enum LineDiff {
  public static func unified(old: String, new: String, oldName: String, newName: String, context: Int = 2) -> String {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let ops = script(a, b)
    guard ops.contains(where: { $0.kind != " " }) else { return "" }
    var out = ["--- \(oldName)", "+++ \(newName)"]
    // Mark which ops are within `context` of a change.
    var keep = [Bool](repeating: false, count: ops.count)
    for (k, op) in ops.enumerated() where op.kind != " " {
      for j in max(0, k - context)...min(ops.count - 1, k + context) { keep[j] = true }
    }
    var k = 0
    while k < ops.count {
      guard keep[k] else { k += 1; continue }
      let startA = ops[k].a + 1, startB = ops[k].b + 1
      var lines: [String] = []
      var countA = 0, countB = 0
      while k < ops.count && keep[k] {
        let op = ops[k]
        lines.append(String(op.kind) + op.text)
        if op.kind != "+" { countA += 1 }
        if op.kind != "-" { countB += 1 }
        k += 1
      }
      out.append("@@ -\(startA),\(countA) +\(startB),\(countB) @@")
      out += lines
    }
    return out.joined(separator: "\n")
  }

  struct Op {
    var kind: Character  // " ", "-", "+"
    var text: String
    var a: Int  // index in old (of this line, or where it would be)
    var b: Int
  }

  /// Edit script by longest common subsequence (O(n·m); notebooks are small). Common prefix and suffix
  /// are stripped first.
  static func script(_ a: [String], _ b: [String]) -> [Op] {
    var pre = 0
    while pre < a.count && pre < b.count && a[pre] == b[pre] { pre += 1 }
    var suf = 0
    while suf < a.count - pre && suf < b.count - pre && a[a.count - 1 - suf] == b[b.count - 1 - suf] { suf += 1 }
    let x = Array(a[pre..<(a.count - suf)]), y = Array(b[pre..<(b.count - suf)])
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    if !x.isEmpty && !y.isEmpty {
      for i in stride(from: x.count - 1, through: 0, by: -1) {
        for j in stride(from: y.count - 1, through: 0, by: -1) {
          lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
        }
      }
    }
    var ops: [Op] = (0..<pre).map { Op(kind: " ", text: a[$0], a: $0, b: $0) }
    var i = 0, j = 0
    while i < x.count || j < y.count {
      if i < x.count && j < y.count && x[i] == y[j] {
        ops.append(Op(kind: " ", text: x[i], a: pre + i, b: pre + j)); i += 1; j += 1
      } else if i < x.count && (j == y.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
        ops.append(Op(kind: "-", text: x[i], a: pre + i, b: pre + j)); i += 1
      } else {
        ops.append(Op(kind: "+", text: y[j], a: pre + i, b: pre + j)); j += 1
      }
    }
    for k in 0..<suf { ops.append(Op(kind: " ", text: a[a.count - suf + k], a: a.count - suf + k, b: b.count - suf + k)) }
    return ops
  }
}
