// The query page: YASGUI over the local endpoint, offline (no prefix.cc, no endpoint catalogue, no CDN).
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var endpoint = JSON.parse(document.getElementById("endpoint-data").textContent);
  var notice = document.getElementById("truncated");

  function showTruncation(limit) {
    if (limit) {
      notice.textContent = "Results cut at " + limit + " rows (the server's row cap): add a LIMIT or narrow the query.";
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
  }

  if (window.Yasgui) {
    var yasgui = new window.Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: null,
      yasqe: { value: examples[0][1] }
    });
    var tabs = yasgui.persistentConfig ? Object.keys(yasgui._tabs || {}) : [];
    var first = yasgui.getTab();
    first.setName(examples[0][0]);
    first.setQuery(examples[0][1]);
    // a fresh tab per example, so each answers one question
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
        var tab = open(Number(link.getAttribute("data-example")));
        tab.query();
      });
    });
    window.opennessYasgui = yasgui;
    void tabs;
  } else {
    var select = document.getElementById("example-select");
    var area = document.getElementById("plain-query");
    if (select) {
      select.addEventListener("change", function () { area.value = examples[Number(select.value)][1]; });
    }
    document.querySelectorAll("[data-example]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        area.value = examples[Number(link.getAttribute("data-example"))][1];
      });
    });
  }
})();
