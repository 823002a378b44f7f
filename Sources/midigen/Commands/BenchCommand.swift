import Foundation

/// `midigen bench` (placeholder until its issue lands).
func benchCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen bench: not yet implemented\n".data(using: .utf8)!)
  return 2
}
