// The query page. With YASGUI: the local endpoint only, completions from this KG's own prefixes, classes and
// properties (no prefix.cc, no LOV, no CDN), the KG's IRIs linked to their pages here, typed numbers shown as
// numbers. Without YASGUI the page is a plain form whose results the server renders as a table.
(function () {
  "use strict";
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var examples = data("examples-data");
  var endpoint = data("endpoint-data");
  var given = data("given-data");
  var notice = document.getElementById("truncated");

  if (!window.Yasgui) {
    var select = document.getElementById("example-select");
    var area = document.getElementById("plain-query");
    if (select && area) {
      select.addEventListener("change", function () { area.value = examples[Number(select.value)][1]; });
    }
    return;
  }

  var vocabulary = data("vocabulary-data");
  var BASE = "https://w3id.org/ai-openness/";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMBERS = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte"].map(function (t) { return XSD + t; });

  // The local page of an IRI of this KG, or null.
  function localPath(iri) {
    if (iri.indexOf(BASE) !== 0) { return null; }
    var rest = iri.slice(BASE.length);
    if (rest.indexOf("ontology#") === 0) { return "/ontology#" + rest.slice("ontology#".length); }
    var head = rest.split("/")[0];
    if (rest === "ontology" || ["model", "org", "family", "license"].indexOf(head) >= 0) { return "/" + rest; }
    return null;
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // The result table: numbers without their datatype, and the KG's IRIs opening their local page.
  var Table = window.Yasgui.Yasr.plugins.table;
  class LocalTable extends Table {
    formatLiteral(binding, prefixes) {
      if (binding.datatype && NUMBERS.indexOf(binding.datatype) >= 0) {
        return "<span class='number'>" + escapeHtml(binding.value) + "</span>";
      }
      return super.formatLiteral(binding, prefixes);
    }
    draw(persistentConfig) {
      var drawn = super.draw(persistentConfig);
      localise(this.yasr.resultsEl);
      return drawn;
    }
  }
  window.Yasgui.Yasr.registerPlugin("table", LocalTable);

  function localise(root) {
    if (!root) { return; }
    root.querySelectorAll("a[href]").forEach(function (link) {
      var local = localPath(link.getAttribute("href"));
      if (local) {
        link.setAttribute("href", local);
        link.setAttribute("target", "_self");
        link.classList.add("local");
      }
    });
  }

  // Completions from this KG only (forks of YASQE's completers keep their token handling).
  function starting(list) {
    return function (yasqe, token) {
      var text = token ? (token.autocompletionString || token.string || "") : "";
      return list.filter(function (item) { return item.indexOf(text) === 0; });
    };
  }
  var prefixLines = Object.keys(vocabulary.prefixes).sort().map(function (p) {
    return p + ": <" + vocabulary.prefixes[p] + ">";
  });
  var Yasqe = window.Yasgui.Yasqe;
  Yasqe.forkAutocompleter("prefixes", { name: "kg-prefixes", get: function () { return prefixLines; },
    persistenceId: null }, false);
  Yasqe.forkAutocompleter("class", { name: "kg-classes", get: starting(vocabulary.classes) }, false);
  Yasqe.forkAutocompleter("property", { name: "kg-properties", get: starting(vocabulary.properties) }, false);
  var completers = ["variables", "kg-prefixes", "kg-classes", "kg-properties"];

  function showTruncation(limit) {
    if (limit) {
      notice.textContent = "Results cut at " + limit + " rows (the server's row cap): add a LIMIT or narrow the query.";
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
  }

  var yasgui = new window.Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    yasqe: { value: examples[0][1], autocompleters: completers, prefixCcApi: null },
    yasr: { prefixes: vocabulary.prefixes }
  });
  var first = yasgui.getTab();
  first.setName(examples[0][0]);
  first.setQuery(examples[0][1]);
  var tabFor = {};
  tabFor[0] = first;
  function open(index) {
    var tab = tabFor[index];
    if (!tab) {
      tab = yasgui.addTab(true, { name: examples[index][0], requestConfig: { endpoint: endpoint } });
      tab.setQuery(examples[index][1]);
      tabFor[index] = tab;
    } else {
      yasgui.selectTabId(tab.getId());
    }
    return tab;
  }
  yasgui.on("queryResponse", function (instance, tab, response) {
    var headers = (response && response.header) || (response && response.headers) || {};
    showTruncation(headers["x-openness-truncated"]);
  });
  document.querySelectorAll("[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(Number(link.getAttribute("data-example"))).query();
    });
  });
  if (given) {  // /query?query=... (the charts' and examples' links): run it in the first tab
    first.setName("Linked query");
    first.setQuery(given);
    first.query();
  }
  window.opennessYasgui = yasgui;

  // YASGUI's own controls get the names assistive technology needs (they have none), as they appear.
  var NAMES = [
    [".yasqe .CodeMirror textarea", "SPARQL query"],
    [".yasgui .autocomplete", "SPARQL endpoint"],
    [".yasr .tableSizer", "Rows per page"],
    [".yasr .tableFilter", "Filter the results"],
    [".yasgui .tab input[type=text]", "Tab name"],
    [".CodeMirror-hints", "Completions"]
  ];
  function name() {
    NAMES.forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", pair[1]); }
      });
    });
    // a tab list may only hold tabs: the "add tab" button becomes the list's last (never selected) tab
    document.querySelectorAll(".yasgui .tabsList .addTab").forEach(function (button) {
      if (button.getAttribute("role") !== "tab") {
        button.setAttribute("role", "tab");
        button.setAttribute("aria-selected", "false");
      }
    });
  }
  name();
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
})();
