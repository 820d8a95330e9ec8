// Package nab re-implements the scorer of the Numenta Anomaly Benchmark (NAB v1.1) and runs
// a detector over a NAB corpus: it loads the data files and their labelled anomaly windows,
// runs a ScoreFunc over every file, reads and writes NAB-format results files, optimises the
// detection threshold per cost profile and normalises the raw score against the null and
// perfect detectors, exactly as described in the corpus's SCORING.md.
//
// Typical use (what `outcry eval nab` does):
//
//	c, err := nab.LoadCorpus(dir)                   // dir: a NAB root (data/, labels/, config/)
//	scores, err := nab.Run(c, detector, 0)          // one score in [0,1] per row and file
//	err = nab.WriteResults(out, "complaintSpike", c, scores)
//	profiles, err := nab.LoadProfiles(dir)          // or nab.DefaultProfiles()
//	rep, err := nab.Score(c, scores, profiles)
//	rep.Detector = "complaintSpike"
//	board, err := nab.LoadBoard(dir)                // or nab.Scoreboard()
//	err = rep.WriteTable(os.Stdout, board)
//
// The package uses the standard library only (plus the root package's sentinel errors). It
// does not know any Outcry detector: callers adapt theirs to a ScoreFunc. It holds no state
// and logs nothing; every function is safe for concurrent use on distinct arguments.
package nab

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// timeLayout is the timestamp layout of NAB data and results files. Parsing also accepts a
// fractional second, as the windows file writes "2015-03-03 04:37:53.000000".
const timeLayout = "2006-01-02 15:04:05"

// Corpus is a set of NAB data files with their anomaly windows. Files are sorted by Name.
// A Corpus is read-only once loaded and safe for concurrent readers.
type Corpus struct {
	Dir   string // the NAB root it was loaded from (holds data/, labels/, config/, results/)
	Files []*File
}

// File is one NAB data series and its ground truth.
type File struct {
	Category string      // first path element of Name, e.g. "realTweets"
	Name     string      // path relative to data/, with forward slashes: "realTweets/Twitter_volume_AAPL.csv"
	Times    []time.Time // row timestamps (UTC), in file order
	Values   []float64   // row values, len(Values) == len(Times)
	// Windows are the labelled anomaly windows as row indexes, both ends inclusive, sorted
	// and disjoint.
	Windows [][2]int
}

// Rows returns the number of rows of the file.
func (f *File) Rows() int { return len(f.Times) }

// Probation returns the number of leading rows that NAB ignores when scoring the file:
// min(floor(0.15·N), 750).
func (f *File) Probation() int { return probation(len(f.Times)) }

// InWindow reports whether row i lies inside one of the file's anomaly windows.
func (f *File) InWindow(i int) bool {
	for _, w := range f.Windows {
		if i >= w[0] && i <= w[1] {
			return true
		}
		if i < w[0] {
			break
		}
	}
	return false
}

// probation follows NAB: min(floor(0.15·n), 0.15·5000), computed in float64 as NAB does.
func probation(n int) int {
	return int(math.Min(math.Floor(0.15*float64(n)), 0.15*5000))
}

// Categories returns the sorted distinct categories of the corpus.
func (c *Corpus) Categories() []string {
	var cats []string
	for _, f := range c.Files {
		if !slices.Contains(cats, f.Category) {
			cats = append(cats, f.Category)
		}
	}
	slices.Sort(cats)
	return cats
}

// Subset returns a corpus holding only the files of the given category (sharing the File
// values). It returns an empty corpus for an unknown category.
func (c *Corpus) Subset(category string) *Corpus {
	s := &Corpus{Dir: c.Dir}
	for _, f := range c.Files {
		if f.Category == category {
			s.Files = append(s.Files, f)
		}
	}
	return s
}

// File returns the file with the given name, or nil.
func (c *Corpus) File(name string) *File {
	i, ok := slices.BinarySearchFunc(c.Files, name, func(f *File, n string) int { return strings.Compare(f.Name, n) })
	if !ok {
		return nil
	}
	return c.Files[i]
}

// Windows returns the total number of anomaly windows in the corpus.
func (c *Corpus) Windows() int {
	n := 0
	for _, f := range c.Files {
		n += len(f.Windows)
	}
	return n
}

// LoadCorpus loads every data file listed in dir/labels/combined_windows.json from
// dir/data, and resolves each window's [start, end] timestamps to row indexes. A listed
// file that is missing, a malformed row, or a window whose ends are not row timestamps is
// an error (wrapping outcry.ErrInvalid for bad content).
func LoadCorpus(dir string) (*Corpus, error) {
	labels, err := readWindowsFile(filepath.Join(dir, "labels", "combined_windows.json"))
	if err != nil {
		return nil, err
	}
	c := &Corpus{Dir: dir}
	for name, wins := range labels {
		f, err := loadFile(dir, name, wins)
		if err != nil {
			return nil, err
		}
		c.Files = append(c.Files, f)
	}
	slices.SortFunc(c.Files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	return c, nil
}

// readWindowsFile reads a combined_windows.json: file name -> list of [start, end].
func readWindowsFile(p string) (map[string][][2]string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("nab: read windows: %w", err)
	}
	var raw map[string][][]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("nab: parse %s: %w: %w", p, outcry.ErrInvalid, err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("nab: %s lists no files: %w", p, outcry.ErrInvalid)
	}
	out := make(map[string][][2]string, len(raw))
	for name, ws := range raw {
		if err := checkFileName(name); err != nil {
			return nil, fmt.Errorf("nab: %s: %w", p, err)
		}
		pairs := make([][2]string, 0, len(ws))
		for _, w := range ws {
			if len(w) != 2 {
				return nil, fmt.Errorf("nab: %s: %s: window with %d limits, want 2: %w", p, name, len(w), outcry.ErrInvalid)
			}
			pairs = append(pairs, [2]string{w[0], w[1]})
		}
		out[name] = pairs
	}
	return out, nil
}

// checkFileName accepts "category/file.csv": a clean relative slash path of two elements.
func checkFileName(name string) error {
	parts := strings.Split(name, "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" || path.Clean(name) != name ||
		parts[0] == ".." || parts[1] == ".." || strings.Contains(name, `\`) {
		return fmt.Errorf("bad data file name %q (want category/file.csv): %w", name, outcry.ErrInvalid)
	}
	return nil
}

func loadFile(dir, name string, wins [][2]string) (*File, error) {
	p := filepath.Join(dir, "data", filepath.FromSlash(name))
	fh, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("nab: open data file: %w", err)
	}
	defer fh.Close()
	times, values, err := readSeries(fh)
	if err != nil {
		return nil, fmt.Errorf("nab: %s: %w", p, err)
	}
	f := &File{Category: strings.SplitN(name, "/", 2)[0], Name: name, Times: times, Values: values}
	if f.Windows, err = resolveWindows(times, wins); err != nil {
		return nil, fmt.Errorf("nab: %s: %w", name, err)
	}
	return f, nil
}

// readSeries reads a "timestamp,value" CSV with a header row.
func readSeries(r io.Reader) ([]time.Time, []float64, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("read header: %w: %w", outcry.ErrInvalid, err)
	}
	ti, vi := slices.Index(head, "timestamp"), slices.Index(head, "value")
	if ti < 0 || vi < 0 {
		return nil, nil, fmt.Errorf("header %q lacks timestamp or value: %w", strings.Join(head, ","), outcry.ErrInvalid)
	}
	var times []time.Time
	var values []float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", outcry.ErrInvalid, err)
		}
		t, err := parseTime(rec[ti])
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", line, err)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[vi]), 64)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: value %q: %w", line, rec[vi], outcry.ErrInvalid)
		}
		times = append(times, t)
		values = append(values, v)
	}
	if len(times) == 0 {
		return nil, nil, fmt.Errorf("no rows: %w", outcry.ErrInvalid)
	}
	return times, values, nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: %w", s, outcry.ErrInvalid)
	}
	return t, nil
}

// resolveWindows maps window timestamps to row indexes. As in NAB, a window starts at the
// first row whose timestamp equals its start and ends at the first row equal to its end.
func resolveWindows(times []time.Time, wins [][2]string) ([][2]int, error) {
	out := make([][2]int, 0, len(wins))
	for _, w := range wins {
		start, err := parseTime(w[0])
		if err != nil {
			return nil, fmt.Errorf("window: %w", err)
		}
		end, err := parseTime(w[1])
		if err != nil {
			return nil, fmt.Errorf("window: %w", err)
		}
		a := slices.IndexFunc(times, start.Equal)
		b := slices.IndexFunc(times, end.Equal)
		if a < 0 || b < 0 {
			return nil, fmt.Errorf("window [%s, %s]: limit is not a row timestamp: %w", w[0], w[1], outcry.ErrInvalid)
		}
		if b < a {
			return nil, fmt.Errorf("window [%s, %s]: ends before it starts: %w", w[0], w[1], outcry.ErrInvalid)
		}
		out = append(out, [2]int{a, b})
	}
	slices.SortFunc(out, func(x, y [2]int) int { return x[0] - y[0] })
	for i := 1; i < len(out); i++ {
		if out[i][0] <= out[i-1][1] {
			return nil, fmt.Errorf("windows at rows %d and %d overlap: %w", out[i-1][0], out[i][0], outcry.ErrInvalid)
		}
	}
	return out, nil
}
