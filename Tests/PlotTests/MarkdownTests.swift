#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import Plot

@Suite struct MarkdownTests {
  @Test func blocksGolden() {
    let md = """
      # Title *one*

      A paragraph with `code <b>`, **bold**, _em_ and a [link](https://example.com/a?b=1&c=2).
      Second line of it.

      - first
      - second
        continued
      1. one
      2. two

      ```swift
      let x = 1 < 2
      ```
      > quoted **text**

      ---
      <script>alert(1)</script>
      """
    let expected = """
      <h1 id="title-one">Title <em>one</em> <a class="anchor" href="#title-one" aria-label="link to this section">#</a></h1>
      <p>A paragraph with <code>code &lt;b&gt;</code>, <strong>bold</strong>, <em>em</em> and a \
      <a href="https://example.com/a?b=1&amp;c=2">link</a>.
      Second line of it.</p>
      <ul>
      <li>first</li>
      <li>second
      continued</li>
      </ul>
      <ol>
      <li>one</li>
      <li>two</li>
      </ol>
      <pre><code class="language-swift">let x = 1 &lt; 2</code></pre>
      <blockquote>
      <p>quoted <strong>text</strong></p>
      </blockquote>
      <hr>
      <p>&lt;script&gt;alert(1)&lt;/script&gt;</p>
      """
    #expect(Markdown.html(md) == expected)
  }

  @Test(arguments: [
    ("snake_case_name stays", "snake_case_name stays"),
    ("2 * 3 * 4", "2 * 3 * 4"),
    ("**unclosed", "**unclosed"),
    ("`unclosed", "`unclosed"),
    ("[x](javascript:alert(1))", "<span class=\"unsafe-link\" title=\"link removed: not an http, https, mailto or relative URL\">x</span>)"),
    ("[rel](notes/a.md)", "<a href=\"notes/a.md\">rel</a>"),
    ("``a ` b``", "<code>a ` b</code>"),
    ("\\*not em\\*", "*not em*"),
    ("#hashtag", "#hashtag"),
    ("***both***", "<em><strong>both</strong></em>"),
    ("*a **b** c*", "<em>a <strong>b</strong> c</em>"),
    ("[a *b* c](#x) *d*", "<a href=\"#x\">a <em>b</em> c</a> <em>d</em>"),
    ("[outer [inner](#i)](#o)", "[outer <a href=\"#i\">inner</a>](#o)"),
    ("<https://example.com/x>", "<a href=\"https://example.com/x\">https://example.com/x</a>"),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"),
    ("[t](<a b.md>)", "[t](&lt;a b.md&gt;)"),
    ("[t](u.md \"title\")", "<a href=\"u.md\">t</a>"),
    ("a  \nb", "a<br>\nb"),
    ("a\\\nb", "a<br>\nb"),
    ("`a\nb`", "<code>a b</code>"),
    ("*a `*` b*", "<em>a <code>*</code> b</em>"),
  ])
  func inlineEdgeCases(input: String, html: String) {
    #expect(Markdown.html(input) == "<p>" + html + "</p>")
  }

  @Test func nestedListsLooseAndTight() {
    let md = "- a\n  - b\n    1. c\n    2. d\n  - e\n- f\n\n  second paragraph\n"
    #expect(
      Markdown.html(md) == """
        <ul>
        <li><p>a</p>
        <ul>
        <li>b
        <ol>
        <li>c</li>
        <li>d</li>
        </ol></li>
        <li>e</li>
        </ul></li>
        <li><p>f</p>
        <p>second paragraph</p></li>
        </ul>
        """)
    #expect(Markdown.html("3. x\n4. y") == "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>")
    #expect(Markdown.html("- a\n- b\n\n- c") == "<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n<li><p>c</p></li>\n</ul>")
    #expect(Markdown.html("- a\n```\ncode\n```") == "<ul>\n<li>a</li>\n</ul>\n<pre><code>code</code></pre>")
    #expect(Markdown.html("- ```\n  x\n  ```") == "<ul>\n<li><pre><code>x</code></pre></li>\n</ul>")
  }

  @Test func tables() {
    let md = "| Name | Loss | Note |\n|:-----|-----:|:----:|\n| a | 1.5 | `x|y` |\n| b \\| c | **2** |\n\nafter"
    #expect(
      Markdown.html(md) == """
        <div class="table"><table>
        <thead>
        <tr><th class="align-left">Name</th><th class="align-right">Loss</th><th class="align-center">Note</th></tr>
        </thead>
        <tbody>
        <tr><td class="align-left">a</td><td class="align-right">1.5</td><td class="align-center"><code>x|y</code></td></tr>
        <tr><td class="align-left">b | c</td><td class="align-right"><strong>2</strong></td></tr>
        </tbody>
        </table></div>
        <p>after</p>
        """)
    // Not a table: the delimiter row does not match the header.
    #expect(Markdown.html("a | b\n|---|---|---|") == "<p>a | b\n|---|---|---|</p>")
  }

  @Test func headingsCodeAndQuotes() {
    #expect(Markdown.html("Title\n=====\n\nSub\n---").hasPrefix("<h1 id=\"title\">Title"))
    #expect(Markdown.html("Sub\n---").hasPrefix("<h2 id=\"sub\">Sub"))
    #expect(Markdown.html("    indented <code>\n\n    more") == "<pre><code>indented &lt;code&gt;\n\nmore</code></pre>")
    #expect(Markdown.html("~~~~ py extra\n```\n~~~\n~~~~") == "<pre><code class=\"language-py\">```\n~~~</code></pre>")
    #expect(Markdown.html("> a\n> > b\n> c") == "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n</blockquote>\n<p>c</p>\n</blockquote>")
    #expect(Markdown.html("## x ##") == "<h2 id=\"x\">x <a class=\"anchor\" href=\"#x\" aria-label=\"link to this section\">#</a></h2>")
  }

  @Test func imagesComeOnlyFromTheResolver() {
    var r = MarkdownRenderer { src in
      src == "ok.png" ? .embedded(dataURL: "data:image/png;base64,AAAA") : .refused(reason: "no <way>")
    }
    #expect(r.html("![a \"cat\"](ok.png)") == "<p><img src=\"data:image/png;base64,AAAA\" alt=\"a &quot;cat&quot;\"></p>")
    #expect(r.html("![x](/etc/passwd)") == "<p><span class=\"missing\">[image x: no &lt;way&gt;]</span></p>")
    #expect(Markdown.html("![x](y.png)").contains("images are not embedded here"))
  }

  @Test func unterminatedFenceTakesTheRest() {
    #expect(Markdown.html("```\ncode\nmore") == "<pre><code>code\nmore</code></pre>")
  }

  @Test func emptyText() {
    #expect(Markdown.html("") == "")
    #expect(Markdown.html("\n\n  \n") == "")
  }
}

/// Links and raw HTML from a hostile hand: generated variants of every scheme spelling browsers decode.
@Suite struct MarkdownSafetyTests {
  static let schemes = ["javascript", "JAVASCRIPT", "vbscript", "data", "file", "jav&#x09;ascript"]
  static let colons = [":", "&#58;", "&#x3A;", "&#x3a", "&colon;", "&#0000058;", "&#58", "&#X3A;"]

  @Test func dangerousSchemesNeverBecomeLinks() {
    var count = 0
    for s in Self.schemes {
      for c in Self.colons {
        for prefix in ["", " ", "\t", "&#32;", "&#x01;"] {
          let url = prefix + s + c + "prompt(1)"
          for md in ["[x](\(url))", "<\(url)>", "[x](<\(url)>)", "![x](\(url))"] {
            let html = Markdown.html(md)
            count += 1
            #expect(!html.contains("href="), "\(md) -> \(html)")
          }
          #expect(MarkdownURL.safe(url) == nil, "\(url)")
        }
      }
    }
    #expect(count > 900)
  }

  @Test(arguments: [
    ("https://example.com/a", "https://example.com/a"), ("HTTP://x", "HTTP://x"), ("mailto:a@b.c", "mailto:a@b.c"),
    ("#frag", "#frag"), ("notes/a:b.md", "notes/a:b.md"), ("a.md?x=1:2", "a.md?x=1:2"),
    ("https&#58;//x", "https://x"), ("a&amp;b", "a&b"),
  ])
  func safeURLsStay(url: String, expected: String) {
    #expect(MarkdownURL.safe(url) == expected)
  }

  @Test func rawHTMLIsText() {
    let attacks = [
      "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<iframe srcdoc=x>",
      "<style>@import url(http://x)</style>", "\"><b>", "&lt;script&gt;", "<!-- x -->", "<![CDATA[ x ]]>",
    ]
    for a in attacks {
      for md in [a, "# \(a)", "- \(a)", "> \(a)", "| \(a) |\n|---|\n| \(a) |", "[\(a)](#x)", "`\(a)`", "**\(a)**"] {
        let html = Markdown.html(md)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<svg")
                  && !html.contains("<iframe") && !html.contains("<style") && !html.contains("<b>")
                  && !html.contains("<!--"), "\(md) -> \(html)")
      }
    }
  }
}

/// Any 1 MB markdown cell renders in under a second of CPU time (the old renderer was quadratic on these:
/// 100 KB of `>` did not finish in 120 s). Measured as this thread's CPU time, so a machine shared with other
/// builds does not fail it; quadratic behaviour would take minutes. `MIDIGEN_MD_TIMES=1` prints each time.
@Suite struct MarkdownLinearTimeTests {
  static let megabyte = 1 << 20

  static func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  static func repeated(_ unit: String) -> String {
    String(repeating: unit, count: megabyte / unit.utf8.count)
  }

  static var inputs: [(String, String)] {
    [
      ("quote markers", repeated(">")),
      ("quote lines", repeated(">\n")),
      ("nested quotes per line", repeated("> > > > > > > > > > > > > > > > > > > > x\n")),
      ("nested links", String(repeating: "[", count: megabyte / 4) + "x" + String(repeating: "](u)", count: megabyte / 8)),
      ("open brackets", repeated("[")),
      ("link openers", repeated("[a](")),
      ("bracket pairs", repeated("[]")),
      ("images", repeated("![a](")),
      ("stars", repeated("*")),
      ("alternating emphasis", repeated("*a _b ")),
      ("unclosed emphasis", repeated("**a ")),
      ("backticks", repeated("`")),
      ("backtick runs", repeated("` `` ``` ")),
      ("angle brackets", repeated("<a:")),
      ("entities", repeated("&#58")),
      ("list markers", repeated("- ")),
      ("nested lists", (0..<2000).map { String(repeating: " ", count: $0 % 200) + "- x\n" }.joined()),
      ("table rows", "| a | b |\n|---|---|\n" + repeated("| x | y |\n")),
      ("wide table", String(repeating: "|a", count: 60) + "\n" + String(repeating: "|-", count: 60) + "\n" + repeated("|")),
      ("headings", repeated("# x\n")),
      ("fences", repeated("```\n")),
      ("escapes", repeated("\\")),
      ("words", repeated("lorem ipsum dolor sit amet ")),
    ]
  }

  @Test func everyPathologicalMegabyteIsFast() {
    for (name, text) in Self.inputs {
      let start = Self.threadCPUSeconds()
      let html = Markdown.html(text)
      let seconds = Self.threadCPUSeconds() - start
      #expect(seconds < 1.0, "\(name): \(seconds) s")
      if ProcessInfo.processInfo.environment["MIDIGEN_MD_TIMES"] != nil { print("md \(name): \(seconds)") }
      #expect(html.utf8.count < 40 * Self.megabyte, "\(name): \(html.utf8.count) bytes")
    }
  }
}
