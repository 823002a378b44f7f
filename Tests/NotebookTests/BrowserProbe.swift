/// The script the browser test injects into a page (test mode only, `HTMLPage.injectingTestProbe`).
///
/// It runs before the page's content and records errors (uncaught exceptions, failed loads,
/// Content-Security-Policy violations, console.error/warn), then, once every audio element has its
/// duration (or failed, or 20 s of virtual time passed), writes a JSON report into
/// `<pre id="midigen-probe">`: each chart figure's SVG box, each audio element's duration, the POSIX
/// `cksum` of each player's rendered WAV, resources the page fetched, and whether any notebook
/// content ran (`window.__pwned`).
enum BrowserProbe {
  static let script = """
    (() => {
    const errors = [];
    addEventListener('error', e => errors.push('error: ' + (e.message ||
      (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : '?'))), true);
    addEventListener('securitypolicyviolation', e =>
      errors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
    for (const level of ['error', 'warn']) {
      const original = console[level];
      console[level] = (...args) => { errors.push(level + ': ' + args.join(' ')); original.apply(console, args); };
    }
    const table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i << 24;
      for (let j = 0; j < 8; j++) c = (c & 0x80000000) ? ((c << 1) ^ 0x04C11DB7) : (c << 1);
      table[i] = c >>> 0;
    }
    function cksum(bytes) {
      let crc = 0;
      const update = b => { crc = ((crc << 8) ^ table[((crc >>> 24) ^ b) & 0xff]) >>> 0; };
      for (let i = 0; i < bytes.length; i++) update(bytes[i]);
      for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) update(n & 0xff);
      return ((~crc) >>> 0) + ' ' + bytes.length;
    }
    function report() {
      const audios = [...document.querySelectorAll('audio')];
      const out = {
        errors,
        charts: [...document.querySelectorAll('figure.chart')].map(f => {
          const svg = f.querySelector(':scope > svg');
          if (!svg) return f.querySelector('img') ? 'img' : 'none';
          const r = svg.getBoundingClientRect();
          return r.width > 0 && r.height > 0 ? 'svg' : 'empty svg';
        }),
        durations: audios.map(a => a.error ? 'error ' + a.error.code : (Number.isFinite(a.duration) ? a.duration : -1)),
        wavs: audios.map(a => a.midigenWav ? cksum(a.midigenWav) : ''),
        resources: performance.getEntriesByType('resource').map(e => e.name)
          .filter(n => !n.startsWith('data:') && !n.startsWith('blob:')),
        pwned: window.__pwned === undefined ? 'no' : String(window.__pwned),
        title: document.title,
      };
      const pre = document.createElement('pre');
      pre.id = 'midigen-probe';
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }
    addEventListener('load', () => {
      let waited = 0;
      const poll = () => {
        const audios = [...document.querySelectorAll('audio')];
        const ready = audios.every(a => a.error || (a.readyState >= 1 && Number.isFinite(a.duration)));
        if (ready || waited >= 200) { report(); return; }
        waited++;
        setTimeout(poll, 100);
      };
      poll();
    });
    })();
    """
}
