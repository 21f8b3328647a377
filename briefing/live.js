// Live reload for `briefing serve`. The preview server adds this script to the HTML it
// serves (never to the files in site/). A page reloads when a file it shows was rebuilt;
// a stylesheet-only change swaps the stylesheet in place; build errors show as an overlay.
// Pages carry a Content-Security-Policy (templates/base.html): this file stays an external
// script, and it styles through element.style (the CSSOM), never a style attribute or a
// <style> element, which the policy refuses.
(() => {
  const base = document.currentScript.dataset.base || "/";
  const here = (() => {
    let path = decodeURIComponent(location.pathname);
    if (path.startsWith(base)) path = path.slice(base.length);
    else path = path.replace(/^\//, "");
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  })();

  function overlay(problems) {
    let box = document.getElementById("briefing-problems");
    if (!box) {
      box = document.createElement("div");
      box.id = "briefing-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:12px 16px;" +
        "border-top:4px solid #ff5c5c;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.append(box);
    }
    box.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = `briefing: the last save did not build (${problems.length}). The page shows the last good version.`;
    box.append(title);
    for (const line of problems) {
      const row = document.createElement("pre");
      row.style.cssText = "margin:8px 0 0;white-space:pre-wrap";
      row.textContent = line;
      box.append(row);
    }
  }

  function clear() {
    document.getElementById("briefing-problems")?.remove();
  }

  function swapStylesheets(files) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (files.some((file) => url.pathname.endsWith("/" + file))) {
        url.searchParams.set("v", Date.now().toString());
        link.href = url.href;
      }
    }
  }

  const events = new EventSource("/__briefing/events");
  events.addEventListener("problems", (event) => overlay(JSON.parse(event.data).problems));
  events.addEventListener("written", (event) => {
    // A PDF finished in the background: reload a page that is that file; keep any overlay.
    if (JSON.parse(event.data).files.includes(here)) location.reload();
  });
  events.addEventListener("built", (event) => {
    const data = JSON.parse(event.data);
    clear();
    if (data.files.includes(here)) {
      location.reload();
      return;
    }
    const css = data.files.filter((file) => file.endsWith(".css"));
    if (css.length) swapStylesheets(css);
  });
})();
