package nab

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the report as plain-text tables: the overall scores ranked among the
// board's detectors, the per-category scores (each category scored alone, and at the
// corpus threshold), and, when b has per-category figures, the first profile's
// per-category scores beside the board's. A nil b prints the report alone. The report's
// own row is marked with '*'.
func (r *Report) WriteTable(w io.Writer, b *Board) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	name := r.Detector
	if name == "" {
		name = "detector"
	}
	first := ""
	if len(r.Profiles) > 0 {
		first = r.Profiles[0]
	}
	fmt.Fprintf(tw, "NAB score of %s (0 = null detector, 100 = perfect; one threshold per profile, optimised on the labels)\n\n", name)

	// Overall, ranked with the board.
	type row struct {
		name   string
		mine   bool
		scores map[string]float64
	}
	mine := map[string]float64{}
	for _, p := range r.Profiles {
		mine[p] = r.Overall[p].Score
	}
	rows := []row{{name: name, mine: true, scores: mine}}
	if b != nil {
		for det, s := range b.Overall {
			rows = append(rows, row{name: det, scores: s})
		}
	}
	rank := func(a, b row) int {
		if c := cmp.Compare(b.scores[first], a.scores[first]); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	}
	slices.SortFunc(rows, rank)
	head := []string{"overall"}
	for _, p := range r.Profiles {
		head = append(head, shortProfile(p))
	}
	line(head...)
	for _, rw := range rows {
		cells := []string{label(rw.name, rw.mine)}
		for _, p := range r.Profiles {
			cells = append(cells, fixed(rw.scores[p], 2, hasKey(rw.scores, p)))
		}
		line(cells...)
	}
	cells := []string{"threshold"}
	for _, p := range r.Profiles {
		cells = append(cells, fmt.Sprintf("%.6g", r.Overall[p].Threshold))
	}
	line(cells...)
	fmt.Fprintln(tw)

	// Per category.
	head = []string{"category", "files", "windows"}
	for _, p := range r.Profiles {
		head = append(head, shortProfile(p))
	}
	sp := shortProfile(first)
	line(append(head, sp+"@corpus", "raw@corpus", "hits@corpus", "FP rows@corpus")...)
	files := map[string]int{}
	for name := range r.Files {
		files[strings.SplitN(name, "/", 2)[0]]++
	}
	for _, cat := range slices.Sorted(maps.Keys(r.AtCorpusThreshold)) {
		at := r.AtCorpusThreshold[cat][first]
		cells := []string{cat, strconv.Itoa(files[cat]), strconv.Itoa(at.Windows)}
		for _, p := range r.Profiles {
			res, ok := r.Categories[cat][p]
			cells = append(cells, fixed(res.Score, 2, ok))
		}
		line(append(cells, fixed(at.Score, 2, at.Windows > 0), fixed(at.Raw, 2, true),
			fmt.Sprintf("%d/%d", at.Hits, at.Windows), strconv.Itoa(at.FP))...)
	}
	fmt.Fprintln(tw, "(each category scored alone: own threshold and normalisation; @corpus: at the overall threshold)")

	// Per category beside the board.
	if b != nil && len(b.Categories) > 0 && first != "" {
		cats := slices.Sorted(maps.Keys(b.Categories))
		fmt.Fprintf(tw, "\n%s, per category, each detector at its corpus threshold\n", first)
		line(append([]string{"detector"}, cats...)...)
		crow := []row{{name: name, mine: true, scores: mine}}
		dets := map[string]bool{}
		for _, c := range cats {
			for det := range b.Categories[c] {
				dets[det] = true
			}
		}
		for det := range dets {
			crow = append(crow, row{name: det, scores: b.Overall[det]})
		}
		slices.SortFunc(crow, rank)
		for _, rw := range crow {
			cells := []string{label(rw.name, rw.mine)}
			for _, c := range cats {
				v, ok := b.Categories[c][rw.name][first]
				if rw.mine {
					at, has := r.AtCorpusThreshold[c][first]
					v, ok = at.Score, has && at.Windows > 0
				}
				cells = append(cells, fixed(v, 1, ok))
			}
			line(cells...)
		}
	}
	return tw.Flush()
}

// fixed formats v with prec decimals, or "-" when ok is false.
func fixed(v float64, prec int, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func hasKey(m map[string]float64, k string) bool {
	_, ok := m[k]
	return ok
}

func label(name string, mine bool) string {
	if mine {
		return "* " + name
	}
	return "  " + name
}

// JSON returns the report in the shape of `outcry eval nab --json`:
// {"standard": S, "reward_low_FP": S, "reward_low_FN": S, "categories": {name: {same keys}}},
// where S is the normalised score and profile names lose their "_rate" suffix. Categories
// are those of Report.Categories (each scored alone).
func (r *Report) JSON() any {
	out := map[string]any{}
	for _, p := range r.Profiles {
		out[shortProfile(p)] = r.Overall[p].Score
	}
	cats := map[string]any{}
	for cat, m := range r.Categories {
		c := map[string]float64{}
		for _, p := range r.Profiles {
			if res, ok := m[p]; ok {
				c[shortProfile(p)] = res.Score
			}
		}
		cats[cat] = c
	}
	out["categories"] = cats
	return out
}
