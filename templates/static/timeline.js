// In-page filters for the timeline, kept in the page's address (?places=sudzha&statuses=claimed)
// so that a shared or reloaded link shows the same events. Without this script the page still
// works: every place, actor, topic and claim status is a link to its own page, and the form
// stays hidden.
const form = document.querySelector(".timeline-filters");
if (form) {
  const events = [...document.querySelectorAll(".timeline .event")];
  const days = [...document.querySelectorAll(".timeline-day")];
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const counter = form.querySelector(".timeline-count");
  const template = counter.dataset.template || "{count}";

  function apply() {
    let shown = 0;
    for (const event of events) {
      const visible = selects.every((select) => {
        const wanted = select.value;
        if (!wanted) return true;
        const values = (event.dataset[select.dataset.filter] || "").split(" ");
        return values.includes(wanted);
      });
      event.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const day of days) day.hidden = !day.querySelector(".event:not([hidden])");
    counter.textContent = template.replace("{count}", String(shown));
  }

  function remember() {
    const query = new URLSearchParams(window.location.search);
    for (const select of selects) {
      if (select.value) query.set(select.dataset.filter, select.value);
      else query.delete(select.dataset.filter);
    }
    const search = query.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
  }

  const query = new URLSearchParams(window.location.search);
  for (const select of selects) {
    const wanted = query.get(select.dataset.filter);
    if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
    select.addEventListener("change", () => { apply(); remember(); });
  }
  form.addEventListener("reset", () => setTimeout(() => { apply(); remember(); }));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
}
