// Site search with Pagefind, loaded only on the search page. The form works as a plain
// GET form (search/?q=...); this script runs the query in the browser and lists results.
const form = document.querySelector(".search-form");
const input = document.querySelector("#search-query");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const pagefindUrl = new URL("../pagefind/pagefind.js", import.meta.url);

let pagefind = null;

async function load() {
  if (!pagefind) {
    pagefind = await import(pagefindUrl.href);
    await pagefind.init();
  }
  return pagefind;
}

function say(key, count) {
  status.textContent = (status.dataset[key] || "").replace("{count}", String(count ?? ""));
}

function excerptNode(html) {
  // Pagefind's excerpt is text with <mark> around matches; keep only those marks.
  const holder = document.createElement("p");
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      holder.append(mark);
    } else {
      holder.append(document.createTextNode(node.textContent));
    }
  }
  return holder;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  say("searching");
  try {
    const engine = await load();
    const search = await engine.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (!results.length) { say("none"); return; }
    say("count", search.results.length);
    for (const result of results) {
      const item = document.createElement("li");
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.meta.title || result.url;
      heading.append(link);
      item.append(heading, excerptNode(result.excerpt));
      list.append(item);
    }
  } catch (error) {
    console.error(error);
    say("failed");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  const address = new URL(window.location.href);
  address.searchParams.set("q", query);
  history.replaceState(null, "", address);
  run(query);
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
