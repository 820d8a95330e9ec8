package nab

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/outcry/outcry"
)

// writeNAB writes a miniature NAB root: data files of 5-minute rows starting at
// 2015-02-26 00:00:00 and a windows file (windows given as row indexes).
func writeNAB(t *testing.T, dir string, files map[string]fileSpec) {
	t.Helper()
	var js []string
	for name, s := range files {
		var b strings.Builder
		b.WriteString("timestamp,value\n")
		for i := range s.rows {
			fmt.Fprintf(&b, "%s,%d\n", stamp(i), i*i%17)
		}
		p := filepath.Join(dir, "data", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		var ws []string
		for _, w := range s.windows {
			ws = append(ws, fmt.Sprintf("[%q, %q]", stamp(w[0])+".000000", stamp(w[1])+".000000"))
		}
		js = append(js, fmt.Sprintf("%q: [%s]", name, strings.Join(ws, ", ")))
	}
	writeTestFile(t, filepath.Join(dir, "labels", "combined_windows.json"), "{"+strings.Join(js, ",\n")+"}")
}

func stamp(i int) string {
	m := 5 * i
	return fmt.Sprintf("2015-02-%02d %02d:%02d:00", 26+m/1440, m/60%24, m%60)
}

func writeTestFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadCorpus(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, map[string]fileSpec{
		"realTweets/b.csv":  {rows: 200, windows: [][2]int{{120, 139}, {40, 59}}},
		"realTweets/a.csv":  {rows: 100, windows: [][2]int{{50, 60}}},
		"artificial/no.csv": {rows: 80},
	})
	c, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 3 || c.Files[0].Name != "artificial/no.csv" || c.Files[2].Name != "realTweets/b.csv" {
		t.Fatalf("files not sorted by name: %v, %v", c.Files[0].Name, c.Files[2].Name)
	}
	b := c.File("realTweets/b.csv")
	if b == nil || b.Category != "realTweets" || b.Rows() != 200 || b.Probation() != 30 {
		t.Fatalf("b = %+v", b)
	}
	if got := fmt.Sprint(b.Windows); got != "[[40 59] [120 139]]" {
		t.Errorf("windows = %s, want sorted row indexes [[40 59] [120 139]]", got)
	}
	if b.Values[3] != 9 || b.Times[1].Sub(b.Times[0]).Minutes() != 5 {
		t.Errorf("values/times not parsed: %v %v", b.Values[3], b.Times[:2])
	}
	if !b.InWindow(40) || !b.InWindow(139) || b.InWindow(60) || b.InWindow(119) {
		t.Error("InWindow wrong at window edges")
	}
	if got := fmt.Sprint(c.Categories()); got != "[artificial realTweets]" {
		t.Errorf("categories = %s", got)
	}
	if s := c.Subset("realTweets"); len(s.Files) != 2 || s.Windows() != 3 {
		t.Errorf("subset realTweets: %d files %d windows", len(s.Files), s.Windows())
	}
	if c.File("nope.csv") != nil {
		t.Error("File(unknown) != nil")
	}
}

func TestLoadCorpusErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  error
	}{
		{"no windows file", func(t *testing.T, dir string) {}, fs.ErrNotExist},
		{"missing data file", func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, "labels", "combined_windows.json"), `{"x/y.csv": []}`)
		}, fs.ErrNotExist},
		{"window not a row", func(t *testing.T, dir string) {
			writeNAB(t, dir, map[string]fileSpec{"x/y.csv": {rows: 10}})
			writeTestFile(t, filepath.Join(dir, "labels", "combined_windows.json"),
				`{"x/y.csv": [["2015-02-26 00:07:00", "2015-02-26 00:20:00"]]}`)
		}, outcry.ErrInvalid},
		{"overlapping windows", func(t *testing.T, dir string) {
			writeNAB(t, dir, map[string]fileSpec{"x/y.csv": {rows: 50, windows: [][2]int{{10, 20}, {20, 30}}}})
		}, outcry.ErrInvalid},
		{"window ends before start", func(t *testing.T, dir string) {
			writeNAB(t, dir, map[string]fileSpec{"x/y.csv": {rows: 50, windows: [][2]int{{30, 20}}}})
		}, outcry.ErrInvalid},
		{"bad value", func(t *testing.T, dir string) {
			writeNAB(t, dir, map[string]fileSpec{"x/y.csv": {rows: 5}})
			writeTestFile(t, filepath.Join(dir, "data", "x", "y.csv"), "timestamp,value\n2015-02-26 00:00:00,abc\n")
		}, outcry.ErrInvalid},
		{"bad header", func(t *testing.T, dir string) {
			writeNAB(t, dir, map[string]fileSpec{"x/y.csv": {rows: 5}})
			writeTestFile(t, filepath.Join(dir, "data", "x", "y.csv"), "time,v\n2015-02-26 00:00:00,1\n")
		}, outcry.ErrInvalid},
		{"path escape", func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, "labels", "combined_windows.json"), `{"../../etc/passwd": []}`)
		}, outcry.ErrInvalid},
		{"bad json", func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, "labels", "combined_windows.json"), `{"x/y.csv": [[1, 2]]}`)
		}, outcry.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			if _, err := LoadCorpus(dir); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestWriteReadResultsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeNAB(t, dir, map[string]fileSpec{
		"cat/a.csv": {rows: 40, windows: [][2]int{{10, 14}}},
		"dog/b.csv": {rows: 30},
	})
	c, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	scores := constScores(c, 0)
	scores["cat/a.csv"][11] = 1.0 / 3
	scores["cat/a.csv"][12] = 1e-7
	scores["cat/a.csv"][13] = 1
	scores["dog/b.csv"][29] = 0.1 + 0.2
	out := t.TempDir()
	if err := WriteResults(out, "complaintSpike", c, scores); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "results", "complaintSpike", "cat", "complaintSpike_a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 41 || lines[0] != "timestamp,value,anomaly_score,label" {
		t.Fatalf("header/rows: %q ... (%d lines)", lines[0], len(lines))
	}
	if lines[1] != "2015-02-26 00:00:00,0,0,0" || lines[12] != "2015-02-26 00:55:00,2,0.3333333333333333,1" || lines[16] != "2015-02-26 01:15:00,4,0,0" {
		t.Errorf("rows: %q %q %q", lines[1], lines[12], lines[16])
	}
	back, err := ReadResults(out, "complaintSpike", c)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range scores {
		for i := range s {
			if back[name][i] != s[i] {
				t.Fatalf("%s row %d: read %v, wrote %v", name, i, back[name][i], s[i])
			}
		}
	}

	if err := WriteResults(out, "complaint_spike", c, scores); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("detector with '_': err = %v, want ErrInvalid", err)
	}
	scores["dog/b.csv"][0] = 2
	if err := WriteResults(out, "x", c, scores); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("score 2: err = %v, want ErrInvalid", err)
	}
	if _, err := ReadResults(out, "other", c); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing detector: err = %v, want ErrNotExist", err)
	}
	// A results file with a row missing does not line up with its data file.
	p := filepath.Join(out, "results", "complaintSpike", "dog", "complaintSpike_b.csv")
	b, _ := os.ReadFile(p)
	writeTestFile(t, p, strings.Join(strings.Split(string(b), "\n")[:30], "\n")+"\n")
	if _, err := ReadResults(out, "complaintSpike", c); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("short results file: err = %v, want ErrInvalid", err)
	}
	writeTestFile(t, p, "timestamp,value,score\n")
	if _, err := ReadResults(out, "complaintSpike", c); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("no anomaly_score column: err = %v, want ErrInvalid", err)
	}
}

func TestRun(t *testing.T) {
	c := synthCorpus(
		fileSpec{name: "a/1.csv", rows: 50}, fileSpec{name: "a/2.csv", rows: 60},
		fileSpec{name: "b/3.csv", rows: 70}, fileSpec{name: "b/4.csv", rows: 80},
	)
	var calls atomic.Int32
	fn := func(f *File) []float64 {
		calls.Add(1)
		s := make([]float64, f.Rows())
		for i := range s {
			s[i] = f.Values[i] / float64(f.Rows())
		}
		return s
	}
	for _, workers := range []int{0, 1, 3, 100} {
		calls.Store(0)
		got, err := Run(c, fn, workers)
		if err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 4 || len(got) != 4 {
			t.Fatalf("workers %d: %d calls, %d results", workers, calls.Load(), len(got))
		}
		if s := got["b/4.csv"]; len(s) != 80 || s[40] != 0.5 {
			t.Fatalf("workers %d: b/4 scores wrong", workers)
		}
	}
	short := func(f *File) []float64 { return make([]float64, f.Rows()-1) }
	if _, err := Run(c, short, 2); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("short output: err = %v, want ErrInvalid", err)
	}
	nan := func(f *File) []float64 { s := make([]float64, f.Rows()); s[7] = math.NaN(); return s }
	if _, err := Run(c, nan, 2); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("NaN output: err = %v, want ErrInvalid", err)
	}
}

func TestLoadProfiles(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "config", "profiles.json"), `{
		"reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}},
		"custom": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.5}},
		"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
		"reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}}
	}`)
	ps, err := LoadProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := append(DefaultProfiles(), Profile{Name: "custom", TP: 1, FP: 0.5, FN: 1})
	if fmt.Sprint(ps) != fmt.Sprint(want) {
		t.Errorf("profiles = %v, want %v", ps, want)
	}
	writeTestFile(t, filepath.Join(dir, "config", "profiles.json"), `{"standard": {"CostMatrix": {"tpWeight": 1.0}}}`)
	if _, err := LoadProfiles(dir); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("incomplete profile: err = %v, want ErrInvalid", err)
	}
}
