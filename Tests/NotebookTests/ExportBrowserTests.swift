import Foundation
import Plot
import Testing

/// Headless Chromium loads exported pages: the shipped inference notebook's page (run and exported in a
/// temporary copy), a page made from a hostile notebook, and a control page that misbehaves on purpose
/// (so the harness is shown to catch errors, scripts and requests). Needs Debian's `chromium` (installed
/// by `.ci/run`); skipped with a message when it is absent, unless MIDIGEN_REQUIRE_CHROMIUM is set.
/// Writes a screenshot of the inference page to `.build/page-screenshot.png` (not committed).
@Suite(.serialized) struct ExportBrowserTests {
  static let root = (((#filePath as NSString).deletingLastPathComponent as NSString)
    .deletingLastPathComponent as NSString).deletingLastPathComponent

  static var chromium: String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      for name in ["chromium", "chromium-browser"] {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
      }
    }
    return nil
  }

  struct Load {
    var probe: [String: Any]
    /// Console lines Chromium logged, and URLs the page requested over the network.
    var console: [String]
    var requests: [String]
  }

  /// Loads `html` (with the probe injected) in headless Chromium.
  static func load(_ html: String, in dir: String, name: String) throws -> Load {
    let file = dir + "/" + name
    try HTMLPage.injectingTestProbe(BrowserProbe.script, into: html).write(
      toFile: file, atomically: true, encoding: .utf8)
    let netlog = dir + "/" + name + ".netlog.json"
    let (dom, stderr) = try run(
      chromiumFlags + [
        "--enable-logging=stderr", "--v=0", "--log-net-log=\(netlog)", "--virtual-time-budget=30000",
        "--dump-dom", URL(fileURLWithPath: file).absoluteString,
      ])
    let start = try #require(dom.range(of: "<pre id=\"midigen-probe\">"), "no probe report in:\n\(dom.suffix(400))\n\(stderr.suffix(800))")
    let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
    let json = String(dom[start.upperBound..<end.lowerBound])
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
    let probe = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let console = stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    return Load(probe: probe, console: console, requests: try pageRequests(netlog))
  }

  static let chromiumFlags = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--mute-audio", "--hide-scrollbars",
  ]

  /// URLs of network requests the page made: URL requests whose initiator is a page (Chromium's own
  /// background requests have the initiator "not an origin").
  static func pageRequests(_ netlog: String) throws -> [String] {
    let data = try #require(FileManager.default.contents(atPath: netlog), "no net log")
    let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var urls: Set<String> = []
    for case let event as [String: Any] in (log["events"] as? [Any]) ?? [] {
      guard let params = event["params"] as? [String: Any], let url = params["url"] as? String,
        let initiator = params["initiator"] as? String, initiator != "not an origin"
      else { continue }
      if url.hasPrefix("data:") || url.hasPrefix("blob:") { continue }
      urls.insert(url)
    }
    return urls.sorted()
  }

  static func run(_ args: [String], cwd: String? = nil) throws -> (stdout: String, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: args[0].hasPrefix("/") ? args[0] : try #require(chromium))
    p.arguments = Array(args.dropFirst(args[0].hasPrefix("/") ? 1 : 0))
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    // Standard error goes to a file, so neither pipe can fill up while the other is read.
    _ = err
    let errFile = NSTemporaryDirectory() + "midigen-chromium-stderr-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    FileManager.default.createFile(atPath: errFile, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errFile) }
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
    try p.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let errData = FileManager.default.contents(atPath: errFile) ?? Data()
    return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
  }

  static func midigen(_ args: [String], cwd: String) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self))
  }

  static func tempDir(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "midigen-browser-\(tag)-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// POSIX `cksum` (CRC-32/CKSUM over the bytes and their length) as "CRC SIZE", like the probe's.
  static func cksum(_ bytes: [UInt8]) -> String {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
      var c = UInt32(i) << 24
      for _ in 0..<8 { c = c & 0x8000_0000 != 0 ? (c << 1) ^ 0x04C1_1DB7 : c << 1 }
      table[i] = c
    }
    var crc: UInt32 = 0
    func update(_ b: UInt8) { crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(b)) & 0xff)] }
    for b in bytes { update(b) }
    var n = bytes.count
    while n > 0 {
      update(UInt8(n & 0xff))
      n >>= 8
    }
    return "\(~crc) \(bytes.count)"
  }

  func skipUnlessChromium() throws -> Bool {
    if Self.chromium != nil { return true }
    if ProcessInfo.processInfo.environment["MIDIGEN_REQUIRE_CHROMIUM"] != nil {
      Issue.record("chromium is required (MIDIGEN_REQUIRE_CHROMIUM) but not installed")
    } else {
      print("ExportBrowserTests skipped: chromium is not installed (apt-get install chromium)")
    }
    return false
  }

  @Test func shippedInferencePage() throws {
    guard try skipUnlessChromium() else { return }
    let fm = FileManager.default
    let dir = try Self.tempDir("inference")
    defer { try? fm.removeItem(atPath: dir) }
    // A copy of the repository's layout: the notebook, its models, the data it loads.
    try fm.createDirectory(atPath: dir + "/notebooks", withIntermediateDirectories: true)
    try fm.createDirectory(atPath: dir + "/results", withIntermediateDirectories: true)
    try fm.copyItem(atPath: Self.root + "/notebooks/inference.mgnb", toPath: dir + "/notebooks/inference.mgnb")
    for model in ["base.safetensors", "onemelody.safetensors"] {
      try fm.copyItem(atPath: Self.root + "/results/" + model, toPath: dir + "/results/" + model)
    }
    try fm.createSymbolicLink(atPath: dir + "/data", withDestinationPath: Self.root + "/data")
    let ran = try Self.midigen(["run", "notebooks/inference.mgnb"], cwd: dir)
    #expect(ran.status == 0, "\(ran.stderr)")
    let exported = try Self.midigen(["export", "notebooks/inference.mgnb", "--html", "inference.html"], cwd: dir)
    #expect(exported.status == 0, "\(exported.stderr)")
    let html = try String(contentsOfFile: dir + "/inference.html", encoding: .utf8)
    #expect(html.utf8.count < 5_000_000, "page is \(html.utf8.count) bytes")

    let load = try Self.load(html, in: dir, name: "probe.html")
    #expect(load.probe["errors"] as? [String] == [], "\(load.probe["errors"] ?? "")")
    #expect(load.console.isEmpty, "\(load.console)")
    #expect(load.requests.isEmpty, "\(load.requests)")
    #expect(load.probe["resources"] as? [String] == [])
    #expect(load.probe["pwned"] as? String == "no")
    let charts = load.probe["charts"] as? [String] ?? []
    #expect(charts.count == 7 && charts.allSatisfy { $0 == "svg" }, "\(charts)")
    let durations = load.probe["durations"] as? [Any] ?? []
    #expect(durations.count == 6, "\(durations)")
    for d in durations { #expect((d as? Double ?? 0) > 1, "\(durations)") }
    // The players render exactly the WAV files midigen saved (sample for sample, byte for byte).
    let wavs = load.probe["wavs"] as? [String] ?? []
    let files = ["greedy_constant", "greedy_generated", "sampled", "random_continued"]
    for (k, name) in files.enumerated() {
      let bytes = try #require(fm.contents(atPath: dir + "/results/\(name).wav"))
      #expect(wavs.count > k && wavs[k] == Self.cksum([UInt8](bytes)), "player \(k + 1) vs \(name).wav")
    }

    // With --allow-outside, the saved WAVs of displayed melodies are recognised as their players' sound
    // (rendered again in Swift and compared byte for byte).
    let outside = try Self.midigen(
      ["export", "notebooks/inference.mgnb", "--html", "outside.html", "--allow-outside"], cwd: dir)
    #expect(outside.status == 0, "\(outside.stderr)")
    let outsideHTML = try String(contentsOfFile: dir + "/outside.html", encoding: .utf8)
    #expect(outsideHTML.components(separatedBy: "its player above plays it").count - 1 == 4)
    // Of the two saved WAVs of melodies the notebook does not display, the tune's continuation (about 20 s)
    // is embedded; the one-piece model's longer one is over the 2 MB limit.
    #expect(outsideHTML.components(separatedBy: "display the melody to get a player").count - 1 == 1)
    #expect(outsideHTML.components(separatedBy: "data:audio/wav").count - 1 == 1)

    // A screenshot for people to look at (not committed).
    let shot = Self.root + "/.build/page-screenshot.png"
    _ = try Self.run(
      Self.chromiumFlags + [
        "--window-size=900,3000", "--virtual-time-budget=10000", "--screenshot=\(shot)",
        URL(fileURLWithPath: dir + "/inference.html").absoluteString,
      ])
    #expect(fm.fileExists(atPath: shot))
  }

  @Test func hostileNotebookRunsNothingAndFetchesNothing() throws {
    guard try skipUnlessChromium() else { return }
    let fm = FileManager.default
    let dir = try Self.tempDir("hostile")
    defer { try? fm.removeItem(atPath: dir) }
    try HostileNotebook.write(in: dir)
    let exported = try Self.midigen(["export", "nb/hostile.mgnb", "--html", "hostile.html"], cwd: dir)
    #expect(exported.status == 0, "\(exported.stderr)")
    let html = try String(contentsOfFile: dir + "/hostile.html", encoding: .utf8)
    let load = try Self.load(html, in: dir, name: "probe.html")
    #expect(load.probe["errors"] as? [String] == [], "\(load.probe["errors"] ?? "")")
    #expect(load.console.isEmpty, "\(load.console)")
    #expect(load.requests.isEmpty, "\(load.requests)")
    #expect(load.probe["pwned"] as? String == "no")
    #expect(load.probe["title"] as? String == HostileNotebook.title)
  }

  /// The harness catches what it must: a page that logs an error, runs a script and fetches.
  @Test func controlPageIsCaught() throws {
    guard try skipUnlessChromium() else { return }
    let dir = try Self.tempDir("control")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let html = HTMLPage(title: "control", cells: []).render().replacingOccurrences(
      of: "<main>",
      with: "<main><img src=\"http://127.0.0.1:9/x.png\"><script>window.__pwned = 1; console.error('boom')</script>")
    // Without the page's policy, so the bad parts really run.
    let open = html.replacingOccurrences(of: "http-equiv=\"Content-Security-Policy\"", with: "name=\"x\"")
    let load = try Self.load(open, in: dir, name: "control.html")
    #expect(load.probe["pwned"] as? String == "1")
    #expect(load.requests == ["http://127.0.0.1:9/x.png"])
    #expect((load.probe["errors"] as? [String] ?? []).contains { $0.contains("boom") })
    // With the policy, the same content is blocked and reported.
    let blocked = try Self.load(html, in: dir, name: "blocked.html")
    #expect(blocked.probe["pwned"] as? String == "no")
    #expect(blocked.requests.isEmpty)
    #expect(!(blocked.probe["errors"] as? [String] ?? []).isEmpty)
  }
}
