extension HTMLPage {
  /// Page style: a readable column; light and dark (`prefers-color-scheme`); a phone-width layout where
  /// code, tables and charts scroll or shrink instead of widening the page; print without players or
  /// page-breaking figures. Charts keep their white card in dark mode (their colors are drawn for white).
  static let style = """
    :root { --bg: #fafafa; --fg: #1d1d1f; --muted: #6b6b6b; --card: #ffffff; --border: #e2e2e2;
      --code-bg: #f0f2f5; --source-bg: #f3f6fa; --source-border: #dde3ea; --link: #0b5cad;
      --fail-bg: #fff3f3; --fail-border: #f0c0c0; --fail-fg: #a00000; --quote: #cccccc; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #16181c; --fg: #e6e6e6; --muted: #a0a0a0; --card: #1f2227; --border: #343841;
        --code-bg: #262a31; --source-bg: #1c2129; --source-border: #343c48; --link: #7ab7ff;
        --fail-bg: #3a1d1d; --fail-border: #7a3b3b; --fail-fg: #ffb4b4; --quote: #555555; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--fg);
      font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 860px; margin: 0 auto; padding: 24px 16px 64px; }
    a { color: var(--link); }
    .cell { margin: 18px 0; }
    h1, h2, h3, h4 { line-height: 1.25; }
    h1 .anchor, h2 .anchor, h3 .anchor, h4 .anchor, h5 .anchor, h6 .anchor {
      visibility: hidden; text-decoration: none; color: var(--muted); font-weight: normal; }
    h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor, h5:hover .anchor,
      h6:hover .anchor { visibility: visible; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
    .markdown code { background: var(--code-bg); padding: 1px 4px; border-radius: 3px; }
    .markdown pre code { background: none; padding: 0; }
    pre { margin: 0; padding: 10px 12px; overflow-x: auto; line-height: 1.35; border-radius: 4px; }
    .markdown pre { background: var(--code-bg); }
    .markdown img { max-width: 100%; height: auto; }
    .code .label { color: var(--muted); font-size: 12px; margin-bottom: 2px; }
    pre.source { background: var(--source-bg); border: 1px solid var(--source-border); }
    pre.output { background: var(--card); border: 1px solid var(--border); border-top: none; line-height: 1.15; }
    .failed pre.output { background: var(--fail-bg); border-color: var(--fail-border); color: var(--fail-fg); }
    figure { margin: 0; background: var(--card); border: 1px solid var(--border); border-top: none; padding: 8px; }
    figure.chart { background: #ffffff; color: #1d1d1f; }
    figure svg, figure img { max-width: 100%; height: auto; display: block; }
    figure audio { width: 100%; }
    figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
    figure.chart figcaption { color: #666666; }
    .notice { background: var(--code-bg); border-left: 4px solid #d9a400; padding: 8px 12px; }
    .note { color: var(--muted); font-size: 13px; margin: 4px 0; }
    .missing { color: var(--fail-fg); font-size: 14px; }
    .unsafe-link { text-decoration: underline dotted; }
    blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--quote); color: var(--muted); }
    .table { overflow-x: auto; }
    table { border-collapse: collapse; margin: 8px 0; }
    th, td { border: 1px solid var(--border); padding: 4px 10px; vertical-align: top; }
    th { background: var(--code-bg); }
    .align-left { text-align: left; } .align-center { text-align: center; } .align-right { text-align: right; }
    nav.toc { background: var(--card); border: 1px solid var(--border); padding: 8px 16px; margin: 18px 0; }
    nav.toc .toc-title { font-weight: bold; }
    nav.toc ul { margin: 4px 0; padding-left: 20px; }
    @media (max-width: 600px) {
      main { padding: 12px 8px 40px; }
      body { font-size: 15px; }
      pre, code { font-size: 11px; }
    }
    @media print {
      body { background: #ffffff; color: #000000; }
      main { max-width: none; padding: 0; }
      figure.player audio, a.download, .anchor { display: none; }
      figure, pre, table, nav.toc { break-inside: avoid; }
      pre { white-space: pre-wrap; }
      a { color: inherit; }
    }
    """
}
