"""The HTML report's own style sheet and script, inline in every page (no network, and the
Content-Security-Policy allows the script by its hash)."""

COLORS = {
    "critical": "#7b1fa2",
    "high": "#c62828",
    "medium": "#ef6c00",
    "low": "#1565c0",
    "info": "#607d8b",
}

CSS = (
    """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1a1a1a}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}h3{font-size:1.05em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
table.counts{border-collapse:collapse;margin:.5em 0}table.counts td,table.counts th{border:1px solid #ddd;padding:.2em .6em;text-align:right}
table.counts th:nth-child(-n+2),table.counts td:nth-child(-n+2){text-align:left}
.sev{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-size:.85em;padding:0 .3em}
"""
    + "".join(f".sev-{level}{{background:{color}}}" for level, color in COLORS.items())
    + "".join(f"#risk.risk-{level}{{border-left-color:{color}}}" for level, color in COLORS.items())
    + """
#attention{background:#fff8e1;border:2px solid #f9a825;border-radius:4px;padding:.3em 1em;margin:1em 0}
#attention h2{border:0;margin:.3em 0;font-size:1.1em}#attention li{margin:.2em 0}
#risk{border-left:6px solid #607d8b;background:#f6f8fa;padding:.4em 1em;margin:1em 0}
#risk .level{font-size:1.15em;font-weight:bold;text-transform:uppercase}
#fix-first ol{padding-left:1.6em}#fix-first li{margin:.35em 0}
.tests{display:inline-block;border:1px dashed #777;border-radius:3px;color:#555;font-size:.8em;padding:0 .3em}
.finding.in-tests{border-style:dashed;background:#fcfcfc}
#filters{position:sticky;top:0;background:#fafafa;border:1px solid #ddd;padding:.4em .8em;z-index:1}
#filters fieldset{display:inline-block;border:0;margin:0 1em 0 0;padding:0}
.finding{border:1px solid #e3e3e3;border-radius:4px;margin:.6em 0;padding:.4em .8em}
.finding h4{font-size:1em;margin:.2em 0}.where{color:#555;margin:.2em 0}
.path{margin:.4em 0;padding-left:2em}.path li{margin:.15em 0}.path .at{color:#555}
.path .code pre{margin:.1em 0}
.code{overflow-x:auto;font-size:12.5px}.code pre{margin:.3em 0;padding:.3em;background:#f6f8fa}
.code .line{display:block}.code .hll{background:#fff3b0}
.code .linenos{color:#999;display:inline-block;min-width:3em;padding-right:.8em;text-align:right;user-select:none}
.note{color:#555}.error{color:#c62828}
"""
)

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  var findings = Array.prototype.slice.call(document.querySelectorAll('#findings .finding'));
  var files = Array.prototype.slice.call(document.querySelectorAll('#findings .file'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('#findings .group'));
  var kinds = ['severity', 'reviewer', 'code'];
  function chosen(kind) {
    var mine = boxes.filter(function (b) { return b.name === kind; });
    if (mine.length === 0) { return null; }
    return mine.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  function recount(sections, selector) {
    sections.forEach(function (s) {
      var count = s.querySelectorAll('.finding:not([hidden])').length;
      s.hidden = count === 0;
      s.querySelector(selector).textContent = '(' + count + ')';
    });
  }
  function apply() {
    var wanted = {}, shown = 0;
    kinds.forEach(function (kind) { wanted[kind] = chosen(kind); });
    findings.forEach(function (f) {
      var visible = kinds.every(function (kind) {
        return wanted[kind] === null || wanted[kind].indexOf(f.dataset[kind]) >= 0;
      });
      f.hidden = !visible;
      if (visible) { shown += 1; }
    });
    recount(files, '.count');
    recount(groups, '.group-count');
    document.getElementById('shown-count').textContent = String(shown);
    document.body.dataset.shown = String(shown);
  }
  function fromFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    kinds.forEach(function (kind) {
      if (!params.has(kind)) { return; }
      var wanted = params.get(kind).split(',');
      boxes.forEach(function (b) { if (b.name === kind) { b.checked = wanted.indexOf(b.value) >= 0; } });
    });
  }
  function reveal() {
    // A link to a finding ("Fix first") shows it, whatever the filters hid.
    var id = decodeURIComponent(location.hash.replace(/^#/, ''));
    var target = id.indexOf('f-') === 0 ? document.getElementById(id) : null;
    if (!target || !target.hidden) { return null; }
    boxes.forEach(function (b) { if (b.value === target.dataset[b.name]) { b.checked = true; } });
    return target;
  }
  function followFragment() {
    fromFragment();
    var target = reveal();
    apply();
    if (target) { target.scrollIntoView(); }
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  window.addEventListener('hashchange', followFragment);
  followFragment();
  document.body.dataset.ready = 'true';
})();
"""
