package nab

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/outcry/outcry"
)

// ScoreFunc scores one file: it returns one anomaly score in [0,1] per row of f, in row
// order. Run may call it concurrently for different files; it must not modify f.
type ScoreFunc func(f *File) []float64

// Run calls fn on every file of c, on up to workers goroutines (workers <= 0 means
// GOMAXPROCS), and returns the scores keyed by File.Name. It returns an error if fn returns
// the wrong number of scores for a file or a score outside [0,1]. All goroutines have
// exited when Run returns.
func Run(c *Corpus, fn ScoreFunc, workers int) (map[string][]float64, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(c.Files), 1))
	out := make([][]float64, len(c.Files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = fn(c.Files[i])
			}
		})
	}
	for i := range c.Files {
		next <- i
	}
	close(next)
	wg.Wait()

	scores := make(map[string][]float64, len(c.Files))
	for i, f := range c.Files {
		if err := checkScores(f, out[i]); err != nil {
			return nil, fmt.Errorf("nab: run: %w", err)
		}
		scores[f.Name] = out[i]
	}
	return scores, nil
}

// checkScores verifies one row per file row, each in [0,1].
func checkScores(f *File, s []float64) error {
	if len(s) != f.Rows() {
		return fmt.Errorf("%s: %d scores for %d rows: %w", f.Name, len(s), f.Rows(), outcry.ErrInvalid)
	}
	for i, v := range s {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s: row %d: anomaly score %v outside [0,1]: %w", f.Name, i, v, outcry.ErrInvalid)
		}
	}
	return nil
}

// CheckDetectorName reports whether name can be used as a NAB detector name: non-empty and
// without '_', '.', or path separators (NAB recovers the name by splitting file names on
// '_' and '.').
func CheckDetectorName(name string) error {
	if name == "" || strings.ContainsAny(name, `_./\`) {
		return fmt.Errorf("nab: detector name %q must be non-empty and contain no '_', '.', '/' or '\\': %w", name, outcry.ErrInvalid)
	}
	return nil
}

// resultsPath is <root>/results/<det>/<category>/<det>_<file>.csv.
func resultsPath(root, detector string, f *File) string {
	return filepath.Join(root, "results", detector, f.Category, detector+"_"+path.Base(f.Name))
}

// ReadResults reads the anomaly_score column of every results file of the detector for the
// files of c: dir/results/<detector>/<category>/<detector>_<file>.csv, where dir is a NAB
// root (or a directory written by WriteResults). Rows line up with the data file by
// position, so each results file must have exactly as many rows as its data file. A missing
// file is an error wrapping fs.ErrNotExist; malformed content wraps outcry.ErrInvalid.
func ReadResults(dir, detector string, c *Corpus) (map[string][]float64, error) {
	if err := CheckDetectorName(detector); err != nil {
		return nil, err
	}
	out := make(map[string][]float64, len(c.Files))
	for _, f := range c.Files {
		p := resultsPath(dir, detector, f)
		s, err := readScores(p)
		if err != nil {
			return nil, err
		}
		if len(s) != f.Rows() {
			return nil, fmt.Errorf("nab: %s: %d rows, data file has %d: %w", p, len(s), f.Rows(), outcry.ErrInvalid)
		}
		out[f.Name] = s
	}
	return out, nil
}

func readScores(p string) ([]float64, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("nab: open results: %w", err)
	}
	defer fh.Close()
	cr := csv.NewReader(bufio.NewReader(fh))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("nab: %s: header: %w: %w", p, outcry.ErrInvalid, err)
	}
	col := slices.Index(head, "anomaly_score")
	if col < 0 {
		return nil, fmt.Errorf("nab: %s: no anomaly_score column: %w", p, outcry.ErrInvalid)
	}
	var s []float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, fmt.Errorf("nab: %s: %w: %w", p, outcry.ErrInvalid, err)
		}
		if col >= len(rec) {
			return nil, fmt.Errorf("nab: %s: line %d: missing anomaly_score: %w", p, line, outcry.ErrInvalid)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[col]), 64)
		if err != nil || math.IsNaN(v) {
			return nil, fmt.Errorf("nab: %s: line %d: anomaly_score %q: %w", p, line, rec[col], outcry.ErrInvalid)
		}
		s = append(s, v)
	}
}

// WriteResults writes one NAB results file per file of c to
// outDir/results/<detector>/<category>/<detector>_<file>.csv with the columns
// timestamp,value,anomaly_score,label (label 1 inside a window), the layout NAB's own
// scorer reads. Scores must cover every file, one in [0,1] per row. Existing files are
// overwritten; other files are left alone.
func WriteResults(outDir, detector string, c *Corpus, scores map[string][]float64) error {
	if err := CheckDetectorName(detector); err != nil {
		return err
	}
	for _, f := range c.Files {
		s, ok := scores[f.Name]
		if !ok {
			return fmt.Errorf("nab: write results: no scores for %s: %w", f.Name, outcry.ErrInvalid)
		}
		if err := checkScores(f, s); err != nil {
			return fmt.Errorf("nab: write results: %w", err)
		}
		if err := writeFile(resultsPath(outDir, detector, f), f, s); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(p string, f *File, s []float64) (err error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("nab: write results: %w", err)
	}
	fh, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("nab: write results: %w", err)
	}
	defer func() {
		if cerr := fh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("nab: write results: %w", cerr)
		}
	}()
	w := bufio.NewWriter(fh)
	w.WriteString("timestamp,value,anomaly_score,label\n")
	buf := make([]byte, 0, 96)
	wi := 0
	for i := range f.Times {
		for wi < len(f.Windows) && f.Windows[wi][1] < i {
			wi++
		}
		label := byte('0')
		if wi < len(f.Windows) && i >= f.Windows[wi][0] {
			label = '1'
		}
		buf = f.Times[i].AppendFormat(buf[:0], timeLayout)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, f.Values[i], 'f', -1, 64)
		buf = append(buf, ',')
		// Shortest representation that round-trips, so reading the file back gives the
		// same scores, hence the same thresholds.
		buf = strconv.AppendFloat(buf, s[i], 'g', -1, 64)
		buf = append(buf, ',', label, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("nab: write results: %w", err)
	}
	return nil
}
