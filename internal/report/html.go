package report

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"time"

	"stalix.dev/stalix-build/internal/progress"
)

// The timeline's geometry, in SVG user units (CSS pixels at 100%).
const (
	laneLabel  = 64.0  // left margin for the slot names
	plotWidth  = 960.0 // the run's wall time spans this
	laneHeight = 26.0
	laneGap    = 6.0
	axisHeight = 24.0
)

// Colours: solid fills, one per status and one for the critical path, so
// a screenshot shows which is which.
const (
	colourBuilt       = "#3b6fd4"
	colourSubstituted = "#2e9e5b"
	colourFailed      = "#d93025"
	colourStopped     = "#9aa0a6"
	colourCritical    = "#e8710a"
)

// assignLanes puts each node that ran in the lowest job slot free at its
// start, so the timeline has one lane per slot and bars never overlap.
func assignLanes(nodes []Node, jobs int) (map[string]int, int) {
	var ran []Node
	for _, n := range nodes {
		if n.Status.ran() {
			ran = append(ran, n)
		}
	}
	slices.SortFunc(ran, func(a, b Node) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	lane := map[string]int{}
	var busyUntil []time.Duration
	for _, n := range ran {
		l := slices.IndexFunc(busyUntil, func(end time.Duration) bool { return end <= n.Start })
		if l < 0 {
			l = len(busyUntil)
			busyUntil = append(busyUntil, 0)
		}
		busyUntil[l] = n.End
		lane[n.ID] = l
	}
	return lane, max(jobs, len(busyUntil))
}

type barView struct {
	X, Y, W, H float64
	Fill       string
	Critical   bool
	Label      string // drawn when it fits
	Tip        string
}

type tickView struct {
	X     float64
	Label string
}

type rowView struct {
	ID, Status, Start, Time, CPU, Size, Log string
	Critical                                bool
}

type htmlView struct {
	Title, Began  string
	Lines         []string
	Width, Height float64
	PlotX, PlotW  float64
	AxisY         float64
	Lanes         []float64 // each lane's top
	LaneH         float64
	Bars          []barView
	Ticks         []tickView
	Rows          []rowView
	Colours       map[string]string
}

// WriteHTML writes report.html: the summary, an SVG timeline with one lane
// per job slot and the critical path in its own colour, and a table of
// every node with its time, CPU, size and cache status.
func (r *Run) WriteHTML(w io.Writer) error {
	s := r.Summary()
	lane, nlanes := assignLanes(r.Nodes, r.Jobs)
	critical := map[string]bool{}
	for _, n := range s.Path {
		critical[n.ID] = true
	}
	v := htmlView{
		Title: r.Title, Began: r.Began.UTC().Format(time.RFC3339), Lines: s.Lines(),
		PlotX: laneLabel, PlotW: plotWidth, LaneH: laneHeight,
		Width: laneLabel + plotWidth + 48, Colours: map[string]string{
			"built": colourBuilt, "substituted": colourSubstituted, "failed": colourFailed,
			"stopped": colourStopped, "critical path": colourCritical,
		},
	}
	for l := range nlanes {
		v.Lanes = append(v.Lanes, float64(l)*(laneHeight+laneGap))
	}
	v.AxisY = float64(nlanes) * (laneHeight + laneGap)
	v.Height = v.AxisY + axisHeight
	wall := max(r.Wall, time.Millisecond)
	x := func(d time.Duration) float64 { return laneLabel + plotWidth*float64(d)/float64(wall) }
	for _, n := range r.Sorted() {
		if n.Status.ran() {
			b := barView{
				X: x(n.Start), Y: v.Lanes[lane[n.ID]], H: laneHeight,
				Fill: statusColour(n.Status), Critical: critical[n.ID],
				Tip: fmt.Sprintf("%s: %s, %s from %s, CPU %s, %s", n.ID, n.Status, progress.Duration(n.Time()),
					progress.Duration(n.Start), progress.Duration(n.User+n.Sys), size(n.Size)),
			}
			b.W = max(x(n.End)-b.X, 1)
			if b.Critical && n.Status == Built {
				b.Fill = colourCritical
			}
			if label := n.ID + " " + progress.Duration(n.Time()); float64(len(label))*6.5 < b.W-6 {
				b.Label = label
			}
			v.Bars = append(v.Bars, b)
		}
		row := rowView{ID: n.ID, Status: string(n.Status), Size: size(n.Size), Log: n.Log, Critical: critical[n.ID]}
		if n.Status.ran() {
			row.Start, row.Time = progress.Duration(n.Start), progress.Duration(n.Time())
			row.CPU = progress.Duration(n.User + n.Sys)
		}
		v.Rows = append(v.Rows, row)
	}
	step := tickStep(wall)
	for t := time.Duration(0); t <= wall; t += step {
		v.Ticks = append(v.Ticks, tickView{X: x(t), Label: progress.Duration(t)})
	}
	return page.Execute(w, v)
}

func statusColour(s Status) string {
	switch s {
	case Substituted:
		return colourSubstituted
	case Failed:
		return colourFailed
	case Stopped:
		return colourStopped
	}
	return colourBuilt
}

// tickStep is the smallest round step that puts at most 10 ticks on the
// axis.
func tickStep(wall time.Duration) time.Duration {
	for _, s := range []time.Duration{
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	} {
		if wall/s <= 10 {
			return s
		}
	}
	return time.Hour * (wall/(10*time.Hour) + 1)
}

func size(b int64) string {
	switch {
	case b <= 0:
		return ""
	case b < 1<<10:
		return fmt.Sprintf("%d B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	case b < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"f":   func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"add": func(a, b float64) float64 { return a + b },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>stalix-build: {{.Title}}</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 16px; color: #202124; }
h1 { font-size: 18px; margin: 0 0 8px; }
pre { margin: 0 0 12px; }
svg text { font: 11px sans-serif; }
.lane { fill: #f1f3f4; }
.bar-label { fill: #ffffff; }
.critical { stroke: #7a3a00; stroke-width: 1; }
.axis { stroke: #5f6368; }
table { border-collapse: collapse; margin-top: 12px; }
td, th { border-bottom: 1px solid #dadce0; padding: 2px 10px 2px 0; text-align: left; }
td.num { text-align: right; }
.key span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
</style>
</head>
<body>
<h1>stalix-build: {{.Title}}</h1>
<pre>began {{.Began}}
{{range .Lines}}{{.}}
{{end}}</pre>
<div class="key">{{range $k, $c := .Colours}}<span style="background: {{$c}}"></span>{{$k}}{{end}}</div>
<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{{f .Width}}" height="{{f .Height}}" viewBox="0 0 {{f .Width}} {{f .Height}}">
{{range $i, $y := .Lanes}}<rect class="lane" x="{{f $.PlotX}}" y="{{f $y}}" width="{{f $.PlotW}}" height="{{f $.LaneH}}"/>
<text x="4" y="{{f (add $y 17)}}">slot {{$i}}</text>
{{end}}{{range .Bars}}<g><title>{{.Tip}}</title><rect{{if .Critical}} class="critical"{{end}} x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" fill="{{.Fill}}"/>{{if .Label}}<text class="bar-label" x="{{f (add .X 4)}}" y="{{f (add .Y 17)}}">{{.Label}}</text>{{end}}</g>
{{end}}<line class="axis" x1="{{f .PlotX}}" y1="{{f .AxisY}}" x2="{{f (add .PlotX .PlotW)}}" y2="{{f .AxisY}}"/>
{{range .Ticks}}<line class="axis" x1="{{f .X}}" y1="{{f $.AxisY}}" x2="{{f .X}}" y2="{{f (add $.AxisY 4)}}"/><text x="{{f (add .X 2)}}" y="{{f (add $.AxisY 16)}}">{{.Label}}</text>
{{end}}</svg>
<table>
<tr><th>node</th><th>status</th><th>start</th><th>time</th><th>CPU</th><th>size</th><th>critical path</th><th>log</th></tr>
{{range .Rows}}<tr><td>{{.ID}}</td><td>{{.Status}}</td><td class="num">{{.Start}}</td><td class="num">{{.Time}}</td><td class="num">{{.CPU}}</td><td class="num">{{.Size}}</td><td>{{if .Critical}}yes{{end}}</td><td>{{.Log}}</td></tr>
{{end}}</table>
</body>
</html>
`))
