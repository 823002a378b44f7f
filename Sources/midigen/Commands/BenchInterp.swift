import Foundation
import Notebook

/// `midigen bench interp [--runs 5] [--python python3 | --no-python]`: times the interpreter on three
/// programs (a numeric loop, recursive fib(25), 100,000 list appends with string interpolation) and, in
/// the same run, CPython on the same programs written in Python (module-level code, as a notebook's cells
/// are top-level code). Prints each program's median time and the ratio midigen / CPython. Times are the
/// thread's CPU time (both sides), so that other processes on a busy machine do not count.
func benchInterp(_ argv: [String]) -> Int32 {
  do {
    let a = try Args(argv, valued: ["runs", "python"])
    if a.flag("help") {
      print("usage: midigen bench interp [--runs 5] [--python python3 | --no-python]")
      return 0
    }
    try a.rejectUnknown(flags: ["help", "no-python"])
    let runs = try a.int("runs", default: 5)
    guard (1...100).contains(runs) else { throw ArgsError("--runs must be between 1 and 100") }
    let python = a.flag("no-python") ? nil : (a.value("python") ?? "python3")
    let programs: [(name: String, what: String, midigen: String, python: String)] = [
      ("loop", "3,000,000 iterations of s = s + i % 7",
       "s = 0; for i in 0..<3000000 { s = s + i % 7 }; s",
       "s = 0\nfor i in range(3000000):\n    s = s + i % 7\nresult = s"),
      ("fib", "fib(25), 242,785 calls",
       "fn fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }; fib(25)",
       "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nresult = fib(25)"),
      ("append", "100,000 list appends of an interpolated string",
       "xs = []; for i in 0..<100000 { xs = xs + [\"item \\(i)\"] }; xs.count",
       "xs = []\nfor i in range(100000):\n    xs.append(f\"item {i}\")\nresult = len(xs)"),
    ]
    var pythonTimes: [String: (Double, String)] = [:]
    var pythonVersion = ""
    if let python {
      (pythonTimes, pythonVersion) = try runPython(python, programs.map { ($0.name, $0.python) }, runs: runs)
    }
    print("interp: median CPU time of \(runs) runs per program" + (python == nil ? "" : "; CPython \(pythonVersion) on the same programs"))
    for p in programs {
      var times: [Double] = []
      var result = ""
      for _ in 0..<runs {
        let interp = Interpreter(environment: ExecutionEnvironment(baseDirectory: "."), builtins: StandardLibrary().builtins)
        let t0 = threadCPUTime()
        let r = interp.run(p.midigen)
        let t1 = threadCPUTime()
        if let e = r.error { throw ArgsError("program \(p.name) failed: \(e)") }
        result = r.output
        times.append(t1 - t0)
      }
      times.sort()
      let median = times[runs / 2]
      var line = "\(p.name.padding(toLength: 7, withPad: " ", startingAt: 0)) midigen \(ms(median)) ms"
      if let (py, pyResult) = pythonTimes[p.name] {
        line += "   CPython \(ms(py)) ms   midigen/CPython \(String(format: "%.2f", median / py))"
        if pyResult != result { line += "   (results differ: \(result) vs \(pyResult))" }
      }
      print(line + "   (\(p.what); result \(result))")
    }
    return 0
  } catch {
    printError("midigen bench interp: \(error)")
    return 2
  }
}

private func ms(_ s: Double) -> String { String(format: "%.1f", s * 1000) }

/// The calling thread's CPU time in seconds.
private func threadCPUTime() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Runs the Python versions in one `python3` process; returns each program's median time and result.
private func runPython(_ python: String, _ programs: [(String, String)], runs: Int) throws
  -> ([String: (Double, String)], String) {
  var script = "import sys, time, json\nout = {}\n"
  for (name, source) in programs {
    let literal = String(data: try JSONSerialization.data(withJSONObject: [source]), encoding: .utf8) ?? "[\"\"]"
    script += "src = \(literal)[0]\ncode = compile(src, '<\(name)>', 'exec')\nts = []\n"
    script += "for _ in range(\(runs)):\n    g = {}\n    t0 = time.thread_time()\n    exec(code, g)\n"
    script += "    ts.append(time.thread_time() - t0)\n"
    script += "ts.sort()\nout['\(name)'] = [ts[len(ts) // 2], str(g['result'])]\n"
  }
  script += "out['version'] = sys.version.split()[0]\nprint(json.dumps(out))\n"
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [python, "-c", script]
  let pipe = Pipe()
  process.standardOutput = pipe
  do {
    try process.run()
  } catch {
    throw ArgsError("cannot run \(python): \(error) (use --no-python to time midigen only)")
  }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0,
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
    throw ArgsError("\(python) failed (status \(process.terminationStatus)); use --no-python to time midigen only")
  }
  var times: [String: (Double, String)] = [:]
  for (name, _) in programs {
    if let pair = json[name] as? [Any], pair.count == 2, let t = pair[0] as? Double, let r = pair[1] as? String {
      times[name] = (t, r)
    }
  }
  return (times, json["version"] as? String ?? "?")
}
