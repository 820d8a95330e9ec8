package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/detect/nab"
	"github.com/outcry/outcry/ingest/replay"
)

// nabDetectorName is the name results are written under (NAB forbids '_' and '.').
const nabDetectorName = "outcry"

func cmdEval(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("want a subcommand: nab or incidents")
	}
	switch args[0] {
	case "nab":
		return cmdEvalNAB(ctx, e, args[1:])
	case "incidents":
		return cmdEvalIncidents(ctx, e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(e.stderr, "usage: outcry eval nab --nab DIR [--out DIR] [--json]\n       outcry eval incidents --posts F --truth F [--json]")
		return flag.ErrHelp
	}
	return usagef("unknown eval subcommand %q (want nab or incidents)", args[0])
}

func cmdEvalNAB(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval nab", "eval nab --nab DIR [--out DIR] [--json]")
	dir := fs.String("nab", "", "NAB corpus root (holding data/, labels/, config/)")
	out := fs.String("out", "", "also write NAB-format results under DIR/results/outcry/")
	asJSON := fs.Bool("json", false, `print {"standard", "reward_low_FP", "reward_low_FN", "categories"}`)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *dir == "" {
		return usagef("--nab DIR is required (the NAB corpus, e.g. ../shared/data/nab)")
	}
	if _, err := os.Stat(filepath.Join(*dir, "labels", "combined_windows.json")); err != nil {
		return usagef("--nab %s: no labels/combined_windows.json there", *dir)
	}
	corpus, err := nab.LoadCorpus(*dir)
	if err != nil {
		return err
	}
	profiles, err := nab.LoadProfiles(*dir)
	if err != nil {
		return err
	}
	cfg := detect.DefaultDetectorConfig()
	scores, err := nab.Run(corpus, func(f *nab.File) []float64 {
		d := detect.NewDetector(cfg)
		out := make([]float64, len(f.Values))
		for i, v := range f.Values {
			if ctx.Err() != nil {
				return out
			}
			out[i] = d.Value(f.Times[i], v)
		}
		return out
	}, runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if *out != "" {
		if err := nab.WriteResults(*out, nabDetectorName, corpus, scores); err != nil {
			return err
		}
	}
	rep, err := nab.Score(corpus, scores, profiles)
	if err != nil {
		return err
	}
	rep.Detector = nabDetectorName
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep.JSON())
	}
	board, err := nab.LoadBoard(*dir)
	if err != nil {
		board = nab.Scoreboard()
	}
	if err := rep.WriteTable(e.stdout, board); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(e.stdout, "\nresults written under %s\n", filepath.Join(*out, "results", nabDetectorName))
	}
	return nil
}

func cmdEvalIncidents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval incidents", "eval incidents --posts F --truth F [--json]")
	postsFile := fs.String("posts", "", "posts (JSONL or CSV)")
	truthFile := fs.String("truth", "", "ground truth incidents (service,start_utc,end_utc,source,title)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *postsFile == "" || *truthFile == "" {
		return usagef("--posts and --truth are required")
	}
	tf, err := os.Open(*truthFile)
	if err != nil {
		return usagef("cannot read %s: %v", *truthFile, errors.Unwrap(err))
	}
	truth, err := detect.ReadTruth(tf)
	tf.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *truthFile, err)
	}
	pf, err := os.Open(*postsFile)
	if err != nil {
		return usagef("cannot read %s: %v", *postsFile, errors.Unwrap(err))
	}
	defer pf.Close()
	var posts []outcry.Post
	rejected := 0
	err = replay.ReadPosts(pf, *postsFile, func(_ int, p outcry.Post, perr error) error {
		if perr != nil {
			rejected++
			return nil
		}
		posts = append(posts, p)
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(posts, func(a, b outcry.Post) int { return a.CreatedAt.Compare(b.CreatedAt) })
	m, err := detect.NewMatcher(detect.DefaultCatalog())
	if err != nil {
		return err
	}
	cfg := detect.DefaultEvalConfig()
	cfg.Match = m.Match
	rep, err := detect.EvaluateIncidents(ctx, seqPosts(posts), truth, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(e.stdout, "%d posts (%d rejected), %d truth incidents\n", len(posts), rejected, len(truth))
	printEvalReport(e.stdout, rep)
	return nil
}

func seqPosts(posts []outcry.Post) iter.Seq2[outcry.Post, error] {
	return func(yield func(outcry.Post, error) bool) {
		for _, p := range posts {
			if !yield(p, nil) {
				return
			}
		}
	}
}

func fmtPtr(v *float64, scale float64, format string) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf(format, *v/scale)
}

// printEvalReport prints per-service found/missed/false, precision, recall and lead.
func printEvalReport(w io.Writer, r detect.EvalReport) {
	fmt.Fprintf(w, "span %s .. %s UTC, %d complaints, %d recoveries\n\n", r.From.Format("2006-01-02 15:04"), r.To.Format("2006-01-02 15:04"), r.Complaints, r.Recoveries)
	fmt.Fprintf(w, "%-14s %6s %6s %6s %6s %6s %9s %7s %14s %15s\n", "service", "truth", "found", "missed", "false", "uncov", "precision", "recall", "median lead", "max onset delay")
	row := func(name string, s detect.EvalStats) {
		fmt.Fprintf(w, "%-14s %6d %6d %6d %6d %6d %9s %7s %14s %15s\n", name, s.Truth, s.Found, s.Missed, s.False, s.Uncovered,
			fmtPtr(s.Precision, 1, "%.2f"), fmtPtr(s.Recall, 1, "%.2f"), fmtPtr(s.MedianLeadSeconds, 60, "%+.0f min"), fmtPtr(s.MaxOnsetDelaySeconds, 60, "%.1f min"))
	}
	ids := make([]string, 0, len(r.ByService))
	for id := range r.ByService {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	quiet := 0
	for _, id := range ids {
		s := r.ByService[id]
		if s.Truth == 0 && s.Detections == 0 && s.Uncovered == 0 {
			quiet++ // nothing to score: no truth, nothing detected
			continue
		}
		row(id, s)
	}
	row("overall", r.Overall)
	if quiet > 0 {
		fmt.Fprintf(w, "(%d more services with posts: no truth incident and nothing detected)\n", quiet)
	}
	fmt.Fprintln(w, "\nlead = truth start minus detected start (positive: the crowd was first); uncov = truth incidents with no posts near them (not scored)")
	for _, ev := range r.Events {
		var parts []string
		for _, o := range ev.Onsets {
			parts = append(parts, fmt.Sprintf("%s +%.0fm", o.Service, o.LagSeconds/60))
		}
		fmt.Fprintf(w, "\ncorrelated event %s: %s: %s\n", ev.ID, strings.Join(parts, ", "), ev.Hypothesis)
		for _, line := range ev.Evidence {
			fmt.Fprintf(w, "  - %s\n", line)
		}
	}
}
