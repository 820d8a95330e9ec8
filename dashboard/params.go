package dashboard

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// params reads one request's query string strictly: unknown names and repeated values
// are errors, so a typo ("stp=5m") is a 400 instead of being silently ignored.
type params struct {
	q url.Values
}

// readParams checks that q only holds names from allowed (plus "token", which the auth
// middleware reads) and that only names in multi repeat.
func readParams(q url.Values, allowed []string, multi ...string) (params, error) {
	for name, vs := range q {
		if name == "token" {
			continue
		}
		if !contains(allowed, name) {
			if len(allowed) == 0 {
				return params{}, &paramError{Param: name, Msg: "unknown parameter (this endpoint takes none)"}
			}
			return params{}, &paramError{Param: name, Msg: "unknown parameter (allowed: " + strings.Join(allowed, ", ") + ")"}
		}
		if len(vs) > 1 && !contains(multi, name) {
			return params{}, &paramError{Param: name, Msg: "given more than once"}
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return params{}, &paramError{Param: name, Msg: "not valid UTF-8"}
			}
		}
	}
	return params{q: q}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (p params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

func (p params) all(name string) []string {
	var out []string
	for _, v := range p.q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" && !contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// time parses an RFC 3339 time; zero when absent.
func (p params) time(name string) (time.Time, error) {
	v := p.str(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &paramError{Param: name, Msg: "want an RFC 3339 time such as 2024-06-04T14:00:00Z"}
	}
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, &paramError{Param: name, Msg: "time out of range"}
	}
	return t.UTC(), nil
}

// window reads from/to. Absent to means now; absent from means to-def. The span must be
// positive and at most maxRange.
func (p params) window(now time.Time, def, maxRange time.Duration) (from, to time.Time, err error) {
	if from, err = p.time("from"); err != nil {
		return
	}
	if to, err = p.time("to"); err != nil {
		return
	}
	if to.IsZero() {
		to = now.UTC()
	}
	if from.IsZero() {
		from = to.Add(-def)
	}
	if !from.Before(to) {
		return from, to, &paramError{Param: "from", Msg: "must be before to"}
	}
	if to.Sub(from) > maxRange {
		return from, to, &paramError{Param: "from", Msg: "time range longer than " + humanDuration(maxRange)}
	}
	return from, to, nil
}

// int reads a bounded integer; def when absent.
func (p params) int(name string, def, lo, hi int) (int, error) {
	v := p.str(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, &paramError{Param: name, Msg: "want an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)}
	}
	return n, nil
}

// bool reads true/false/1/0; def when absent.
func (p params) bool(name string, def bool) (bool, error) {
	v := p.str(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &paramError{Param: name, Msg: "want true or false"}
	}
	return b, nil
}

// step reads a bucket width (Go duration: 1m, 5m, 1h, 24h) and checks the number of
// points it makes over [from, to). Absent, it picks the smallest of stepChoices that
// gives at most autoPoints points.
func (p params) step(from, to time.Time, maxPoints int) (time.Duration, error) {
	v := p.str("step")
	span := to.Sub(from)
	if v == "" {
		return autoStep(span), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, &paramError{Param: "step", Msg: "want a duration such as 1m, 5m, 1h"}
	}
	if d < time.Minute || d > 24*time.Hour || d%time.Minute != 0 {
		return 0, &paramError{Param: "step", Msg: "must be a whole number of minutes from 1m to 24h"}
	}
	if n := pointCount(from, to, d); n > maxPoints {
		return 0, &paramError{Param: "step", Msg: "gives " + strconv.Itoa(n) + " points; at most " + strconv.Itoa(maxPoints) + " (use a larger step or a shorter range)"}
	}
	return d, nil
}

// autoPoints is how many points an automatic step aims to stay under.
const autoPoints = 1500

// autoStep picks the finest usual bucket width that keeps span under autoPoints points.
func autoStep(span time.Duration) time.Duration {
	for _, d := range [...]time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour} {
		if span/d <= autoPoints {
			return d
		}
	}
	return 24 * time.Hour
}

// alignWindow widens [from, to) to whole steps on the UTC step grid.
func alignWindow(from, to time.Time, step time.Duration) (time.Time, time.Time) {
	from = from.UTC().Truncate(step)
	if t := to.UTC().Truncate(step); t.Before(to) {
		to = t.Add(step)
	} else {
		to = t
	}
	return from, to
}

func pointCount(from, to time.Time, step time.Duration) int {
	from, to = alignWindow(from, to, step)
	return int(to.Sub(from) / step)
}

// humanDuration prints a duration for people: "31d", "4h 21m", "45s".
func humanDuration(d time.Duration) string {
	if d < 0 {
		return "-" + humanDuration(-d)
	}
	if d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + "s"
	}
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, strconv.Itoa(days)+"d")
	}
	if hours > 0 {
		parts = append(parts, strconv.Itoa(hours)+"h")
	}
	if mins > 0 && days == 0 {
		parts = append(parts, strconv.Itoa(mins)+"m")
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}
