// The page's own script: reads the charts' specs from the JSON block and draws each with vega-embed as SVG
// (crisp on screen and in print). Each chart element gets data-rendered="true" or "error"; when all have settled
// the root element gets data-charts="done", which the browser test waits for. A chart that cannot be drawn says
// so in place and on the console, never silently.
export const pageScript = `
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("mstress-charts").textContent);
  var options = { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false } };
  var pending = charts.map(function (chart) {
    var element = document.getElementById("chart-" + chart.name);
    return vegaEmbed(element, chart.spec, options).then(
      function () { element.setAttribute("data-rendered", "true"); },
      function (error) {
        element.setAttribute("data-rendered", "error");
        element.textContent = "This chart could not be drawn: " + (error && error.message ? error.message : String(error));
        console.error(error);
      }
    );
  });
  Promise.all(pending).then(function () { document.documentElement.setAttribute("data-charts", "done"); });
})();
`;
