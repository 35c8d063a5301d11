// Injected by scripts/browser-check.sh into a copy of report.html: once the page has loaded,
// writes what a reader would see as JSON into a hidden pre element (id cv-check), for --dump-dom to return.
window.addEventListener("load", function () {
  var vw = window.innerWidth;
  var images = Array.prototype.map.call(document.images, function (img, i) {
    var sec = img.closest("section");
    return {index: i, section: sec ? sec.id : null, complete: img.complete,
            naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
            width: Math.round(img.getBoundingClientRect().width)};
  });
  var sections = Array.prototype.map.call(document.querySelectorAll("section"), function (s) {
    var note = s.querySelector("p.finding, p.skipped");
    return {id: s.id, title: (s.querySelector("h2") || {}).textContent || "",
            finding: note ? note.textContent : "", skipped: !!s.querySelector("p.skipped"),
            height: Math.round(s.getBoundingClientRect().height),
            toc: !!document.querySelector('nav a[href="#' + s.id + '"]')};
  });
  // an element too wide for the page is still readable inside a box that fits the viewport
  // and scrolls sideways (the report's tables do): such elements are counted apart
  function inScroller(el) {
    for (var a = el; a && a !== document.body; a = a.parentElement) {
      var o = getComputedStyle(a).overflowX, r = a.getBoundingClientRect();
      if ((o === "auto" || o === "scroll") && r.left >= -0.5 && r.right <= vw + 0.5) return true;
    }
    return false;
  }
  var wide = [], unscrollable = 0;
  Array.prototype.forEach.call(document.body.querySelectorAll("*"), function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.width > vw || r.right > vw + 0.5 || r.left < -0.5) {
      var sec = el.closest("section"), scrolls = inScroller(el);
      if (!scrolls) unscrollable += 1;
      wide.push({tag: el.tagName.toLowerCase(), cls: el.className || "", section: sec ? sec.id : null,
                 left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
                 scrolls: scrolls, text: (el.textContent || "").slice(0, 40)});
    }
  });
  wide.sort(function (a, b) { return a.scrolls - b.scrolls; });  // the unreadable ones first
  var out = document.createElement("pre");
  out.id = "cv-check";
  out.style.display = "none";
  out.textContent = JSON.stringify({
    viewport: vw, scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    bodyScrollWidth: document.body.scrollWidth, sections: sections, images: images,
    wider_than_viewport: wide.slice(0, 50), n_wider: wide.length, n_wider_unscrollable: unscrollable
  });
  document.body.appendChild(out);
});
