// The search page: ranks window.MESH_INDEX with meshSearch (search.js) as the user types.
(function () {
  "use strict";
  const SHOWN = 50;
  const input = document.getElementById("q");
  const status = document.getElementById("status");
  const list = document.getElementById("results");
  if (!input) return;

  function item(hit) {
    const [domain, product, description] = hit.entry;
    const li = document.createElement("li");
    li.dataset.product = domain + "." + product;
    li.dataset.score = String(hit.score);
    const link = document.createElement("a");
    link.href = "products/" + domain + "." + product + ".html";
    link.textContent = domain + "." + product;
    const text = document.createElement("p");
    text.textContent = description;
    const why = document.createElement("p");
    why.className = "why";
    why.textContent = "score " + hit.score + ": " + hit.matched.join(", ");
    li.append(link, text, why);
    return li;
  }

  function render() {
    const text = input.value;
    if (!text.trim()) {
      list.replaceChildren();
      status.textContent = "Type words to search; every word must match.";
      return;
    }
    const hits = meshSearch.search(window.MESH_INDEX, text);
    list.replaceChildren(...hits.slice(0, SHOWN).map(item));
    status.textContent = hits.length + " product(s) match" + (hits.length > SHOWN ? ", the best " + SHOWN + " shown" : "");
  }

  input.form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("input", render);
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) input.value = asked;
  render();
})();
