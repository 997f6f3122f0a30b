using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// <c>phoenix simulate --report FILE.html</c>: one self-contained page (no network: the data and the drawing script are
/// inline) with each colour's traffic and capacity over virtual time and the workflow's states as a timeline. The page
/// draws its SVG from the embedded data when it loads, so a browser, not this code, proves the chart can be drawn; the
/// drawn SVG carries <c>data-*</c> counts a headless browser test reads back.
/// </summary>
public static class HtmlReport
{
    public static string Render(string scenario, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var start = result.Setup.Start;
        double Seconds(DateTimeOffset at) => Math.Round((at - start).TotalSeconds, 3);

        // One point per instant (the last), so a 10,000-instance fleet's per-instance changes do not bloat the page.
        var points = new JsonArray();
        foreach (var group in result.Timeline.GroupBy(p => p.At).Select(g => g.Last()))
        {
            points.Add((JsonNode)new JsonArray(
                Seconds(group.At),
                group.Blue.Traffic, group.Blue.DesiredCapacity, group.Blue.HealthyTargets,
                group.Green.Traffic, group.Green.DesiredCapacity, group.Green.HealthyTargets));
        }

        var entered = result.Execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName is not null).ToList();
        var end = result.Execution.History.Count > 0 ? result.Execution.History[^1].Timestamp : start + result.VirtualDuration;
        var states = new JsonArray();
        for (var i = 0; i < entered.Count; i++)
        {
            var until = i + 1 < entered.Count ? entered[i + 1].Timestamp : end;
            states.Add((JsonNode)new JsonArray(entered[i].StateName, Seconds(entered[i].Timestamp), Seconds(until)));
        }

        var data = new JsonObject
        {
            ["scenario"] = scenario,
            ["outcome"] = result.Outcome.ToString(),
            ["end"] = Math.Max(Seconds(end), points.Count > 0 ? points[^1]![0]!.GetValue<double>() : 0),
            ["points"] = points,
            ["states"] = states,
        };

        var title = WebUtility.HtmlEncode($"phoenix simulate — {scenario}: {result.Outcome}");
        var json = data.ToJsonString().Replace("</", "<\\/", StringComparison.Ordinal);
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{title}</title>
            <style>
            body {"{"} font: 14px system-ui, sans-serif; margin: 24px; color: #222; {"}"}
            h1 {"{"} font-size: 18px; {"}"} h2 {"{"} font-size: 15px; margin: 18px 0 4px; {"}"}
            svg text {"{"} font: 11px system-ui, sans-serif; {"}"}
            .blue {"{"} stroke: #1f6fd1; {"}"} .green {"{"} stroke: #1a9e4b; {"}"}
            .desired {"{"} stroke-dasharray: 5 3; {"}"}
            </style></head>
            <body>
            <h1>{title}</h1>
            <p>Virtual time runs left to right (minutes since the start). Solid lines: traffic share and healthy targets; dashed: desired capacity.</p>
            <div id="charts"></div>
            <script id="data" type="application/json">{json}</script>
            <script>
            """);
        page.Append(Script);
        page.Append("</script>\n</body></html>\n");
        return page.ToString();
    }

    // Plain DOM and SVG, no library: the page must open offline and in any browser.
    private const string Script = """
        (function () {
          const data = JSON.parse(document.getElementById('data').textContent);
          const ns = 'http://www.w3.org/2000/svg';
          const width = 960, left = 150, right = 20, plot = width - left - right;
          // Coordinates rounded to 0.1 px: exact enough to draw, stable to read back.
          const round = v => Math.round(v * 10) / 10;
          const x = t => round(left + (data.end > 0 ? t / data.end : 0) * plot);
          const el = (name, attrs, parent) => {
            const e = document.createElementNS(ns, name);
            for (const k in attrs) e.setAttribute(k, attrs[k]);
            if (parent) parent.appendChild(e);
            return e;
          };
          const charts = document.getElementById('charts');
          function chart(title, height, max, series) {
            const h2 = document.createElement('h2'); h2.textContent = title; charts.appendChild(h2);
            const svg = el('svg', { width: width, height: height + 30, 'class': 'chart' }, charts);
            const y = v => round(10 + height - (max > 0 ? v / max : 0) * height);
            el('line', { x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: '#999' }, svg);
            el('text', { x: left - 6, y: y(max) + 4, 'text-anchor': 'end' }, svg).textContent = String(max);
            el('text', { x: left - 6, y: y(0) + 4, 'text-anchor': 'end' }, svg).textContent = '0';
            for (let m = 0; m <= data.end / 60; m += Math.max(1, Math.ceil(data.end / 60 / 12))) {
              el('text', { x: x(m * 60), y: height + 26, 'text-anchor': 'middle' }, svg).textContent = m + ' min';
            }
            let drawn = 0;
            for (const s of series) {
              // Step lines: a value holds until the next recorded change.
              let d = '';
              data.points.forEach((p, i) => {
                const v = p[s.index];
                d += (i === 0 ? 'M' : 'H' + x(p[0]) + 'V') + (i === 0 ? x(p[0]) + ',' : '') + y(v);
              });
              if (data.points.length > 0) d += 'H' + x(data.end);
              el('path', { d: d, fill: 'none', 'stroke-width': 2, 'class': s.cls, 'data-series': s.name }, svg);
              drawn++;
            }
            svg.setAttribute('data-series-drawn', String(drawn));
            return svg;
          }
          const maxCapacity = Math.max(1, ...data.points.map(p => Math.max(p[2], p[3], p[5], p[6])));
          chart('Traffic (% of the listener\'s weight)', 120, 100, [
            { name: 'blue traffic', index: 1, cls: 'blue' }, { name: 'green traffic', index: 4, cls: 'green' }]);
          chart('Capacity (instances)', 120, maxCapacity, [
            { name: 'blue desired', index: 2, cls: 'blue desired' }, { name: 'blue healthy', index: 3, cls: 'blue' },
            { name: 'green desired', index: 5, cls: 'green desired' }, { name: 'green healthy', index: 6, cls: 'green' }]);
          // States: one row per distinct state, a bar for each time it ran (a zero-length run still gets a 2 px mark).
          const names = [...new Set(data.states.map(s => s[0]))];
          const h2 = document.createElement('h2'); h2.textContent = 'States'; charts.appendChild(h2);
          const row = 14;
          const svg = el('svg', { width: width, height: names.length * row + 10, 'class': 'states' }, charts);
          names.forEach((n, i) => { el('text', { x: left - 6, y: i * row + 11, 'text-anchor': 'end' }, svg).textContent = n; });
          let bars = 0;
          for (const [name, from, to] of data.states) {
            const r = el('rect', { x: x(from), y: names.indexOf(name) * row + 2, width: Math.max(2, x(to) - x(from)), height: row - 4, fill: '#888' }, svg);
            el('title', {}, r).textContent = name + ': ' + (from / 60).toFixed(2) + '–' + (to / 60).toFixed(2) + ' min';
            bars++;
          }
          svg.setAttribute('data-bars-drawn', String(bars));
          document.body.setAttribute('data-drawn', 'true');
        })();

        """;
}
