// In-page filters for the timeline. Without this script the page still works: every place,
// actor, topic and claim status is a link to its own page.
const form = document.querySelector(".timeline-filters");
if (form) {
  const events = [...document.querySelectorAll(".timeline .event")];
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
    counter.textContent = template.replace("{count}", String(shown));
  }

  for (const select of selects) select.addEventListener("change", apply);
  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
}
