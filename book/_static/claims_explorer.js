// The ledger page's filters: show the claims of one chapter, source document or verdict.
// The page lists every claim without this script; the form stays hidden until it runs.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.claims-explorer");
  if (!form) return;
  const claims = Array.from(document.querySelectorAll("details.claim[data-verdict]"));
  const status = form.querySelector(".claims-explorer-status");
  const keys = ["chapter", "source", "verdict"];

  function apply() {
    const chosen = Object.fromEntries(keys.map((key) => [key, form.elements[key].value]));
    let shown = 0;
    for (const claim of claims) {
      const matches = keys.every((key) => !chosen[key] || claim.dataset[key] === chosen[key]);
      claim.hidden = !matches;
      if (matches) shown += 1;
    }
    for (const group of document.querySelectorAll("details.claim-group")) {
      const visible = group.querySelectorAll("details.claim:not([hidden])").length;
      group.hidden = visible === 0;
      if (chosen.verdict && visible) group.open = true;
      const count = group.querySelector(".claim-count");
      if (count) count.textContent = `${visible} claim${visible === 1 ? "" : "s"}`;
    }
    // a source document's heading and summary (the elements before its list, back to the
    // previous list) go with its list
    for (const list of document.querySelectorAll(".claim-list")) {
      const visible = list.querySelectorAll("details.claim:not([hidden])").length;
      const output = list.closest(".output") || list;
      output.hidden = visible === 0;
      for (let before = output.previousElementSibling; before && !before.querySelector(".claim-list");
           before = before.previousElementSibling) {
        before.hidden = visible === 0;
      }
    }
    const filtered = keys.some((key) => chosen[key]);
    status.textContent = filtered ? `${shown} of ${claims.length} claims shown` : `All ${claims.length} claims shown`;
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
});
