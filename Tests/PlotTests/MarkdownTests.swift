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
      <h1>Title <em>one</em></h1>
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
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("[rel](notes/a.md)", "<a href=\"notes/a.md\">rel</a>"),
    ("``a ` b``", "<code>a ` b</code>"),
    ("\\*not em\\*", "*not em*"),
    ("#hashtag", "#hashtag"),
  ])
  func inlineEdgeCases(input: String, html: String) {
    #expect(Markdown.html(input) == "<p>" + html + "</p>")
  }

  @Test func unterminatedFenceTakesTheRest() {
    #expect(Markdown.html("```\ncode\nmore") == "<pre><code>code\nmore</code></pre>")
  }

  @Test func emptyText() {
    #expect(Markdown.html("") == "")
    #expect(Markdown.html("\n\n  \n") == "")
  }
}
