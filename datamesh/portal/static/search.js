// The ranking of `meshctl catalog search` (datamesh/meshctl/search.py), for the browser.
// Weights, whitespace and lower-cased entries come from the index Python wrote
// (search.portal_index); tests/portal/test_search_parity.py runs both on the same queries.
(function (root) {
  "use strict";

  // Python's str.lower() and toLowerCase() both apply Unicode's full mappings with the
  // final-sigma rule; the parity test checks that on Greek, Turkish and German text.
  function lower(text) {
    return text.toLowerCase();
  }

  function words(text, whitespace) {
    const found = [];
    let word = "";
    for (const ch of lower(text)) {
      if (whitespace.includes(ch)) {
        if (word) found.push(word);
        word = "";
      } else {
        word += ch;
      }
    }
    if (word) found.push(word);
    return found;
  }

  // entry: [domain, product, description, description_lower, owner_lower,
  //         [[tag, value_lower]...], [[column, column_lower, column_description_lower]...]]
  function scoreWord(entry, word, w) {
    const product = lower(entry[1]);
    const rules = [
      [w.name, "name", product === word],
      [w.name_part, "name", product.includes(word) && product !== word],
      [w.domain, "domain", lower(entry[0]).includes(word)],
      [w.description, "description", entry[3].includes(word)],
      [w.owner, "owner", entry[4].includes(word)],
    ];
    for (const [key, value] of entry[5]) rules.push([w.tag, "tag " + key, value === word]);
    for (const [name, nameLower, description] of entry[6]) {
      rules.push([w.column, "column " + name, nameLower === word]);
      rules.push([w.column_part, "column " + name, nameLower.includes(word) && nameLower !== word]);
      rules.push([w.column_description, "column " + name + " description", description.includes(word)]);
    }
    let points = 0;
    const why = [];
    for (const [p, reason, matched] of rules) {
      if (matched) {
        points += p;
        why.push(reason);
      }
    }
    return [points, why];
  }

  // Hits best first, ties in index order (the index is in domain and product order).
  function search(index, text) {
    const query = words(text, index.whitespace);
    const hits = [];
    index.entries.forEach((entry, position) => {
      let score = 0;
      const matched = [];
      for (const word of query) {
        const [points, why] = scoreWord(entry, word, index.weights);
        if (points === 0) return;
        score += points;
        for (const reason of why) if (!matched.includes(reason)) matched.push(reason);
      }
      hits.push({ entry, position, score, matched });
    });
    hits.sort((a, b) => b.score - a.score || a.position - b.position);
    return hits;
  }

  const api = { lower, words, search };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.meshSearch = api;
})(this);
