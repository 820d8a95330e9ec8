package dashboard

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/outcry/outcry"
)

// assetsHost is where go-echarts points its script tags: the app's own embedded copy of
// ECharts, never a CDN.
const assetsHost = "/assets/"

// chartView is a chart ready for a page: go-echarts builds the ECharts option, which the
// page carries as JSON in a data attribute for /assets/app.js to draw (no inline script,
// so the CSP needs no 'unsafe-inline'). Src, when set, is polled for a fresh option.
type chartView struct {
	ID     string
	Option string
	Src    string
	// Assets are the script URLs go-echarts says the chart needs (under assetsHost).
	Assets []string
	Tall   bool
	// Caption names the unit ("complaints per 5 min"); axis names would be clipped on
	// small screens.
	Caption string
}

// statusColor paints incident areas.
func statusColor(st outcry.Status) string {
	switch st {
	case outcry.StatusOutage:
		return "#dc2626"
	case outcry.StatusDegraded:
		return "#d97706"
	}
	return "#16a34a"
}

// chartLine is one service's series on a volume chart with what to mark on it.
type chartLine struct {
	ID        string
	Name      string
	Points    []seriesPoint
	Incidents []outcry.Incident
	Official  []outcry.OfficialIncident
	Selected  bool
}

func baseOptions(id string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: assetsHost, Width: "100%", Height: "100%"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "36", Bottom: "28", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}),
		charts.WithAnimation(false),
	}
}

// ms is the time-axis value ECharts expects.
func ms(t time.Time) int64 { return t.UnixMilli() }

// shortLabel keeps chart labels from vendor text readable.
func shortLabel(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// markOpts marks incidents as areas and official incidents as vertical lines on a series.
func markOpts(name string, incs []outcry.Incident, off []outcry.OfficialIncident, now time.Time) []charts.SeriesOpts {
	var so []charts.SeriesOpts
	var areas [][]opts.MarkAreaData
	for _, inc := range incs {
		end := now
		if inc.End != nil {
			end = *inc.End
		}
		st := validStatus(inc.Status)
		areas = append(areas, []opts.MarkAreaData{
			{Name: name + " " + string(st), XAxis: ms(inc.Start), MarkAreaStyle: opts.MarkAreaStyle{
				ItemStyle: &opts.ItemStyle{Color: statusColor(st), Opacity: opts.Float(0.15)}}},
			{XAxis: ms(end)},
		})
	}
	if len(areas) > 0 {
		so = append(so, charts.WithMarkAreaData(areas...),
			charts.WithMarkAreaStyleOpts(opts.MarkAreaStyle{Label: &opts.Label{Show: opts.Bool(true), Position: "insideTop", FontSize: 10}}))
	}
	var lines []opts.MarkLineNameXAxisItem
	for _, o := range off {
		lines = append(lines, opts.MarkLineNameXAxisItem{Name: "official: " + shortLabel(o.Title, 40), XAxis: ms(o.Start)})
	}
	if len(lines) > 0 {
		so = append(so, charts.WithMarkLineNameXAxisItemOpts(lines...),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop", FontSize: 10},
				LineStyle: &opts.LineStyle{Color: "#7c3aed", Type: "dashed", Width: 1.5},
			}))
	}
	return so
}

func lineData(pts []seriesPoint, value func(seriesPoint) float64) []opts.LineData {
	out := make([]opts.LineData, len(pts))
	for i, p := range pts {
		out[i] = opts.LineData{Value: []any{ms(p.T), value(p)}}
	}
	return out
}

func countOf(p seriesPoint) float64    { return float64(p.Count) }
func baselineOf(p seriesPoint) float64 { return p.Baseline }
func scoreOf(p seriesPoint) float64    { return p.Score }

// volumeChart draws complaints per step for several services, with incident areas and
// official-incident lines; unselected services start hidden in the legend.
func volumeChart(id string, lines []chartLine, step time.Duration, now time.Time) (chartView, error) {
	c := charts.NewLine()
	c.SetGlobalOptions(baseOptions(id)...)
	selected := map[string]bool{}
	for _, l := range lines {
		selected[l.Name] = l.Selected
		so := []charts.SeriesOpts{
			charts.WithSeriesId(l.ID),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Smooth: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5}),
		}
		so = append(so, markOpts(l.Name, l.Incidents, l.Official, now)...)
		c.AddSeries(l.Name, lineData(l.Points, countOf), so...)
	}
	c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0", Selected: selected}))
	return withCaption(render(id, c))("complaints per " + stepName(step))
}

// serviceChart is the Downdetector view: complaints against the baseline, incidents as
// areas, official incidents as lines and the anomaly score (hidden at first) on a
// second axis.
func serviceChart(id, name string, pts []seriesPoint, incs []outcry.Incident, off []outcry.OfficialIncident, step time.Duration, now time.Time) (chartView, error) {
	c := charts.NewLine()
	c.SetGlobalOptions(baseOptions(id)...)
	c.ExtendYAxis(opts.YAxis{Type: "value", Name: "score", Min: 0, Max: 1, Position: "right", Show: opts.Bool(true)})
	countOpts := []charts.SeriesOpts{
		charts.WithSeriesId("count"),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: "#2563eb"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2563eb"}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.12)}),
	}
	countOpts = append(countOpts, markOpts(name, incs, off, now)...)
	c.AddSeries("complaints", lineData(pts, countOf), countOpts...)
	c.AddSeries("baseline", lineData(pts, baselineOf),
		charts.WithSeriesId("baseline"),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5, Type: "dashed", Color: "#64748b"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#64748b"}))
	c.AddSeries("score", lineData(pts, scoreOf),
		charts.WithSeriesId("score"),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), YAxisIndex: 1, Step: "end"}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 1, Color: "#dc2626"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dc2626"}))
	c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0",
		Selected: map[string]bool{"complaints": true, "baseline": true, "score": false}}))
	return withCaption(render(id, c))("complaints per " + stepName(step) + " against the expected count (baseline); score 0–1 on the right")
}

// histogramChart draws search hits per step.
func histogramChart(id string, buckets []outcry.TimeCount, step time.Duration) (chartView, error) {
	c := charts.NewBar()
	c.SetGlobalOptions(baseOptions(id)...)
	c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	data := make([]opts.BarData, len(buckets))
	for i, b := range buckets {
		data[i] = opts.BarData{Value: []any{ms(b.T), b.Count}}
	}
	c.AddSeries("posts", data, charts.WithSeriesId("hits"), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2563eb"}))
	return withCaption(render(id, c))("matching posts per " + stepName(step))
}

// render turns a go-echarts chart into its option JSON. Two settings go-echarts has no
// field for are added: useUTC (every time on the dashboard is UTC) and the canvas
// tooltip (renderMode richText: no HTML, so no inline styles under the CSP).
func render(id string, c interface {
	Validate()
	JSON() map[string]any
	GetAssets() opts.Assets
}) (chartView, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return chartView{}, fmt.Errorf("chart %s: %w", id, err)
	}
	var opt map[string]any
	if err := json.Unmarshal(raw, &opt); err != nil {
		return chartView{}, fmt.Errorf("chart %s: %w", id, err)
	}
	opt["useUTC"] = true
	if tt, ok := opt["tooltip"].(map[string]any); ok {
		tt["renderMode"] = "richText"
		tt["confine"] = true
	}
	delete(opt, "toolbox")
	out, err := json.Marshal(opt)
	if err != nil {
		return chartView{}, fmt.Errorf("chart %s: %w", id, err)
	}
	a := c.GetAssets()
	return chartView{ID: id, Option: string(out), Assets: slices.Clone(a.JSAssets.Values)}, nil
}

// withCaption sets the caption of a rendered chart.
func withCaption(cv chartView, err error) func(string) (chartView, error) {
	return func(caption string) (chartView, error) {
		cv.Caption = caption
		return cv, err
	}
}

// stepName prints a step for axis names: "min", "5 min", "h", "day".
func stepName(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d == time.Hour:
		return "hour"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return "day"
}

// pickLines chooses which services an overview chart shows: every service with
// complaints or incidents in the window, busiest first, at most limit; the busiest
// shown ones and those with incidents start selected.
func pickLines(lines []chartLine, limit, selected int) []chartLine {
	type scored struct {
		l     chartLine
		total int
	}
	var c []scored
	for _, l := range lines {
		total := 0
		for _, p := range l.Points {
			total += p.Count
		}
		if total == 0 && len(l.Incidents) == 0 {
			continue
		}
		c = append(c, scored{l, total})
	}
	slices.SortStableFunc(c, func(a, b scored) int {
		if x := boolCmp(len(a.l.Incidents) > 0, len(b.l.Incidents) > 0); x != 0 {
			return x
		}
		if x := cmp.Compare(b.total, a.total); x != 0 {
			return x
		}
		return strings.Compare(a.l.ID, b.l.ID)
	})
	out := make([]chartLine, 0, min(len(c), limit))
	for i, x := range c {
		if i >= limit {
			break
		}
		x.l.Selected = i < selected || len(x.l.Incidents) > 0
		out = append(out, x.l)
	}
	return out
}

// boolCmp orders true first.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
