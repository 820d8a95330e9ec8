package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/outcry/outcry"
)

// seriesPoint is one step of /api/v1/services/{id}/series. Count and Authors are sums
// over the step's minutes (Authors sums per-minute distinct authors), Baseline is the
// expected count for the whole step, Score the highest minute score and Status the worst.
type seriesPoint struct {
	T        time.Time     `json:"t"`
	Count    int           `json:"count"`
	Authors  int           `json:"authors"`
	Baseline float64       `json:"baseline"`
	Score    float64       `json:"score"`
	Status   outcry.Status `json:"status"`
}

// aggregate buckets minute points into steps over [from, to), which must already be
// aligned to step. Every step up to the newest reading gets a point, zeros when no minute
// fell in it; points outside the window are ignored.
func aggregate(points []outcry.Point, from, to time.Time, step time.Duration) []seriesPoint {
	n := int(to.Sub(from) / step)
	if n <= 0 {
		return []seriesPoint{}
	}
	out := make([]seriesPoint, n)
	for i := range out {
		out[i] = seriesPoint{T: from.Add(time.Duration(i) * step), Status: outcry.StatusOK}
	}
	for _, p := range points {
		t := p.T.UTC()
		if t.Before(from) || !t.Before(to) {
			continue
		}
		b := &out[int(t.Sub(from)/step)]
		b.Count += max(p.Count, 0)
		b.Authors += max(p.Authors, 0)
		b.Baseline += max(finite(p.Baseline), 0)
		b.Score = max(b.Score, clamp01(p.Score))
		if st := validStatus(p.Status); st.Severity() > b.Status.Severity() {
			b.Status = st
		}
	}
	for i := range out {
		out[i].Baseline = round3(out[i].Baseline)
		out[i].Score = round3(out[i].Score)
	}
	// Minutes after the newest reading have not been evaluated yet (the detector runs a
	// little behind the clock so late posts still count): leave them out rather than
	// draw a false drop to zero at the right edge.
	var last time.Time
	for _, p := range points {
		if t := p.T.UTC(); !t.Before(from) && t.Before(to) && t.After(last) {
			last = t
		}
	}
	if !last.IsZero() {
		out = out[:int(last.Sub(from)/step)+1]
	}
	return out
}

// seriesFor reads one service's minute points and aggregates them; from/to are widened
// to whole steps first.
func (s *Server) seriesFor(ctx context.Context, id string, from, to time.Time, step time.Duration) ([]seriesPoint, error) {
	from, to = alignWindow(from, to, step)
	pts, err := s.deps.Readings.Series(ctx, id, from, to)
	if err != nil {
		return nil, fmt.Errorf("series %s: %w", id, err)
	}
	return aggregate(pts, from, to, step), nil
}

// appendSeriesJSON encodes points exactly as encoding/json would, without reflection:
// the series endpoint is the API's hottest and a day of minutes is 1440 points.
func appendSeriesJSON(b []byte, pts []seriesPoint) []byte {
	b = append(b, '[')
	for i, p := range pts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"t":"`...)
		b = p.T.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","count":`...)
		b = strconv.AppendInt(b, int64(p.Count), 10)
		b = append(b, `,"authors":`...)
		b = strconv.AppendInt(b, int64(p.Authors), 10)
		b = append(b, `,"baseline":`...)
		b = appendFloat(b, p.Baseline)
		b = append(b, `,"score":`...)
		b = appendFloat(b, p.Score)
		b = append(b, `,"status":"`...)
		b = append(b, validStatus(p.Status)...)
		b = append(b, `"}`...)
	}
	return append(b, ']', '\n')
}

// appendFloat formats f like encoding/json (finite values only). Values with at most
// three decimals (every baseline and score is rounded so) take a fixed-precision fast
// path: below 1e12 no shorter decimal maps to the same float64, so the output is the
// same shortest form encoding/json prints.
func appendFloat(b []byte, f float64) []byte {
	f = finite(f)
	a := math.Abs(f)
	if a < 1e12 && math.Round(f*1000)/1000 == f {
		b = strconv.AppendFloat(b, f, 'f', 3, 64)
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
		return b
	}
	if a != 0 && (a < 1e-6 || a >= 1e21) {
		enc, _ := json.Marshal(f)
		return append(b, enc...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
