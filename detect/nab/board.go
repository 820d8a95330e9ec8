package nab

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/outcry/outcry"
)

// Board is a published scoreboard to print beside a Report.
type Board struct {
	// Overall maps detector -> profile name -> normalised corpus score.
	Overall map[string]map[string]float64
	// Categories maps category -> detector -> profile name -> normalised score of the
	// category's files at the detector's corpus threshold (NAB does not publish these; they
	// are derived from its per-file *_scores.csv). Nil when unknown.
	Categories map[string]map[string]map[string]float64
}

// Scoreboard returns NAB's README scoreboard ("as of NAB v1.0"), keyed by the README's
// detector names, for use when the corpus directory does not ship results. Each call
// returns a new Board.
func Scoreboard() *Board {
	rows := []struct {
		name     string
		s, fp, f float64
	}{
		{"ARTime", 74.9, 65.1, 80.4},
		{"Numenta HTM", 70.5, 62.6, 75.2},
		{"CAD OSE", 69.9, 67.0, 73.2},
		{"earthgecko Skyline", 58.2, 46.2, 63.9},
		{"KNN CAD", 58.0, 43.4, 64.8},
		{"Relative Entropy", 54.6, 47.6, 58.8},
		{"Random Cut Forest", 51.7, 38.4, 59.7},
		{"Twitter ADVec", 47.1, 33.6, 53.5},
		{"Windowed Gaussian", 39.6, 20.9, 47.4},
		{"Etsy Skyline", 35.7, 27.1, 44.5},
		{"Bayesian Changepoint", 17.7, 3.2, 32.2},
		{"EXPoSE", 16.4, 3.2, 26.9},
		{"Random", 11.0, 1.2, 19.5},
		{"Null", 0, 0, 0},
	}
	b := &Board{Overall: map[string]map[string]float64{}}
	for _, r := range rows {
		b.Overall[r.name] = map[string]float64{Standard: r.s, RewardLowFPRate: r.fp, RewardLowFNRate: r.f}
	}
	return b
}

// LoadBoard reads the published board of a NAB root: dir/results/final_results.json for
// the corpus scores (required; a missing file wraps fs.ErrNotExist), and, where every file
// of a category is present, the per-category scores derived from
// dir/results/<det>/<det>_<profile>_scores.csv (for detectors whose file covers the whole
// corpus), normalised with the category's windows
// from dir/labels/combined_windows.json and the weights of dir/config/profiles.json (the
// null detector detects nothing at its shipped threshold, so its raw score there is
// −A_FN · windows).
func LoadBoard(dir string) (*Board, error) {
	p := filepath.Join(dir, "results", "final_results.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("nab: read board: %w", err)
	}
	b := &Board{}
	if err := json.Unmarshal(raw, &b.Overall); err != nil {
		return nil, fmt.Errorf("nab: parse %s: %w: %w", p, outcry.ErrInvalid, err)
	}
	cats, err := loadCategoryBoard(dir, b.Overall)
	if err != nil {
		return nil, err
	}
	b.Categories = cats
	return b, nil
}

// loadCategoryBoard derives per-category scores from the shipped *_scores.csv files.
func loadCategoryBoard(dir string, detectors map[string]map[string]float64) (map[string]map[string]map[string]float64, error) {
	wins, err := readWindowsFile(filepath.Join(dir, "labels", "combined_windows.json"))
	if err != nil {
		return nil, err
	}
	profiles, err := LoadProfiles(dir)
	if err != nil {
		return nil, err
	}
	catFiles := map[string]int{}
	catWins := map[string]int{}
	for name, ws := range wins {
		cat := strings.SplitN(name, "/", 2)[0]
		catFiles[cat]++
		catWins[cat] += len(ws)
	}
	out := map[string]map[string]map[string]float64{}
	for det := range detectors {
		for _, pr := range profiles {
			p := filepath.Join(dir, "results", det, det+"_"+pr.Name+"_scores.csv")
			rows, err := readScoresSummary(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			sum := map[string]float64{}
			covered := 0
			for file, score := range rows {
				if _, ok := wins[file]; !ok {
					continue
				}
				sum[strings.SplitN(file, "/", 2)[0]] += score
				covered++
			}
			if covered != len(wins) {
				continue // a stale partial run: its thresholds were not optimised on this corpus
			}
			for cat := range catFiles {
				w := float64(catWins[cat])
				if w == 0 {
					continue // no windows to normalise with
				}
				null, perfect := -pr.FN*w, pr.TP*w
				if out[cat] == nil {
					out[cat] = map[string]map[string]float64{}
				}
				if out[cat][det] == nil {
					out[cat][det] = map[string]float64{}
				}
				out[cat][det][pr.Name] = 100 * (sum[cat] - null) / (perfect - null)
			}
		}
	}
	return out, nil
}

// readScoresSummary reads a NAB *_scores.csv: file -> Score, skipping the Totals row.
func readScoresSummary(p string) (map[string]float64, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("nab: read scores: %w", err)
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("nab: %s: %w: %w", p, outcry.ErrInvalid, err)
	}
	fc, sc := colIndex(head, "File"), colIndex(head, "Score")
	if fc < 0 || sc < 0 {
		return nil, fmt.Errorf("nab: %s: no File or Score column: %w", p, outcry.ErrInvalid)
	}
	out := map[string]float64{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("nab: %s: %w: %w", p, outcry.ErrInvalid, err)
		}
		if len(rec) <= max(fc, sc) || rec[fc] == "" {
			continue // the Totals row
		}
		v, err := strconv.ParseFloat(rec[sc], 64)
		if err != nil {
			return nil, fmt.Errorf("nab: %s: score %q: %w", p, rec[sc], outcry.ErrInvalid)
		}
		out[rec[fc]] = v
	}
}

func colIndex(head []string, col string) int {
	for i, h := range head {
		if strings.TrimSpace(h) == col {
			return i
		}
	}
	return -1
}

// LoadThresholds reads dir/config/thresholds.json: detector -> profile name -> the
// threshold NAB used for its published board.
func LoadThresholds(dir string) (map[string]map[string]float64, error) {
	p := filepath.Join(dir, "config", "thresholds.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("nab: read thresholds: %w", err)
	}
	var m map[string]map[string]struct {
		Threshold *float64 `json:"threshold"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("nab: parse %s: %w: %w", p, outcry.ErrInvalid, err)
	}
	out := map[string]map[string]float64{}
	for det, profs := range m {
		out[det] = map[string]float64{}
		for prof, v := range profs {
			if v.Threshold == nil {
				return nil, fmt.Errorf("nab: %s: %s/%s has no threshold: %w", p, det, prof, outcry.ErrInvalid)
			}
			out[det][prof] = *v.Threshold
		}
	}
	return out, nil
}
