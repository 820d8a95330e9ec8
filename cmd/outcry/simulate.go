package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest/sim"
)

func cmdSimulate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "simulate", usageOf("simulate"))
	scenario := fs.String("scenario", "", "scenario: "+strings.Join(sim.Scenarios(), ", "))
	seed := fs.Int64("seed", 1, "random seed (same seed, same posts)")
	scale := fs.Float64("scale", 1, "volume multiplier (e.g. 20 for about a million posts)")
	out := fs.String("out", "-", "write posts here (JSONL; - is stdout)")
	truth := fs.String("truth", "", "also write the scenario's incidents here (incidents.csv format)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *scenario == "" {
		return usagef("--scenario is required (one of %s)", strings.Join(sim.Scenarios(), ", "))
	}
	if *scale <= 0 || math.IsNaN(*scale) || math.IsInf(*scale, 0) {
		return usagef("--scale %v: want a positive number", *scale)
	}
	cfg := sim.Config{Scenario: *scenario, Seed: *seed, Scale: *scale}
	if *truth != "" {
		t, err := sim.Truth(cfg)
		if err != nil {
			return err
		}
		f, err := os.Create(*truth)
		if err != nil {
			return err
		}
		if err := sim.WriteTruthCSV(f, t); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	w := e.stdout
	var file *os.File
	if *out != "-" {
		file, err = os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err = sim.Generate(ctx, cfg, func(p outcry.Post) error {
		n++
		return enc.Encode(p)
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote %d simulated posts to %s\n", n, *out)
	}
	return nil
}
