package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/ingest/replay"
)

// importChunk is how many parsed posts go to the index at a time.
const importChunk = 1000

// importSummary is what `outcry import` reports at the end (and with --json).
type importSummary struct {
	Files      int            `json:"files"`
	Read       int            `json:"read"`
	Imported   int            `json:"imported"`
	Duplicates int            `json:"duplicates"`
	Rejected   int            `json:"rejected"`
	Rejects    []rejectedLine `json:"rejects"`
	Seconds    float64        `json:"seconds"`
	PostsPerS  float64        `json:"posts_per_second"`
}

type rejectedLine struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// maxRejectsShown bounds the rejects listed; the count is always exact.
const maxRejectsShown = 20

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", usageOf("import"))
	dataDir := fs.String("data", defaultDataDir, "data directory")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	quiet := fs.Bool("quiet", false, "no progress bar")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no input files (JSONL or CSV posts)")
	}
	// Every file must be readable before anything is imported.
	var total int64
	opened := make([]io.Reader, 0, len(files))
	defer func() {
		for _, f := range opened {
			if c, ok := f.(io.Closer); ok && f != e.stdin {
				c.Close()
			}
		}
	}()
	for i, name := range files {
		if name == "-" {
			opened = append(opened, e.stdin)
			files[i] = "stdin"
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return usagef("cannot read %s: %v", name, errors.Unwrap(err))
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			return usagef("cannot read %s: not a regular file", name)
		}
		total += st.Size()
		opened = append(opened, f)
	}

	matcher, err := detect.NewMatcher(detect.DefaultCatalog())
	if err != nil {
		return err
	}
	ix, err := openIndex(*dataDir, false, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	sink := &matchSink{matcher: matcher, index: ix, keepAll: true}

	sum := importSummary{Files: len(files), Rejects: []rejectedLine{}}
	start := time.Now()
	var readBytes atomic.Int64
	bar := newProgress(e, total, &readBytes, !*quiet && !*asJSON)
	stopBar := bar.start()
	defer stopBar()

	chunk := make([]outcry.Post, 0, importChunk)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		n, err := sink.AddPosts(ctx, "import", chunk, "")
		if err != nil {
			return err
		}
		sum.Imported += n
		sum.Duplicates += len(chunk) - n
		bar.posts.Add(int64(len(chunk)))
		chunk = chunk[:0]
		return nil
	}
	for i, f := range opened {
		name := files[i]
		r := &countingReader{r: f, n: &readBytes}
		err := replay.ReadPosts(r, name, func(line int, p outcry.Post, perr error) error {
			if perr != nil {
				sum.Rejected++
				if len(sum.Rejects) < maxRejectsShown {
					reason := strings.TrimPrefix(rejectReason(perr), fmt.Sprintf("%s:%d: ", name, line))
					sum.Rejects = append(sum.Rejects, rejectedLine{File: name, Line: line, Reason: reason})
				}
				return nil
			}
			sum.Read++
			chunk = append(chunk, p)
			if len(chunk) >= importChunk {
				if err := flush(); err != nil {
					return err
				}
			}
			return ctx.Err()
		})
		if err != nil {
			if errors.Is(err, context.Canceled) {
				break
			}
			if errors.Is(err, outcry.ErrInvalid) {
				return fmt.Errorf("%s: %w", name, err)
			}
			return fmt.Errorf("import %s: %w", name, err)
		}
	}
	if ctx.Err() == nil {
		if err := flush(); err != nil {
			return err
		}
	} else {
		// Interrupted: what was handed to the index is flushed by Close; the rest is
		// simply not imported, and a rerun picks it up (import is idempotent).
		_ = flush()
	}
	if err := ix.Flush(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("import: flush: %w", err)
	}
	stopBar()
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.PostsPerS = float64(sum.Read) / sum.Seconds
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "imported %d posts (%d duplicates, %d rejected) from %d file(s) in %.1fs (%.0f posts/s)\n",
			sum.Imported, sum.Duplicates, sum.Rejected, sum.Files, sum.Seconds, sum.PostsPerS)
		for _, r := range sum.Rejects {
			fmt.Fprintf(e.stdout, "  rejected %s:%d: %s\n", r.File, r.Line, r.Reason)
		}
		if sum.Rejected > len(sum.Rejects) {
			fmt.Fprintf(e.stdout, "  ... and %d more rejected lines\n", sum.Rejected-len(sum.Rejects))
		}
	}
	if ctx.Err() == nil && sum.Read == 0 && sum.Rejected > 0 {
		// Nothing usable at all is bad input (exit 2), not a quiet success.
		return usagef("no posts imported: every one of the %d rows was rejected", sum.Rejected)
	}
	return ctx.Err()
}

func rejectReason(err error) string {
	msg := err.Error()
	msg = strings.TrimSuffix(msg, ": "+outcry.ErrInvalid.Error())
	return msg
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progress draws a one-line progress bar on a terminal stderr.
type progress struct {
	e     *env
	total int64
	read  *atomic.Int64
	posts atomic.Int64
	on    bool
	begin time.Time
}

func newProgress(e *env, total int64, read *atomic.Int64, want bool) *progress {
	on := false
	if f, ok := e.stderr.(*os.File); ok && want {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progress{e: e, total: total, read: read, on: on, begin: time.Now()}
}

// start draws every 200ms until the returned stop is called (idempotent).
func (p *progress) start() (stop func()) {
	if !p.on {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				p.draw()
				fmt.Fprintln(p.e.stderr)
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			close(done)
			<-finished
		}
	}
}

func (p *progress) draw() {
	frac := 1.0
	if p.total > 0 {
		frac = min(1, float64(p.read.Load())/float64(p.total))
	}
	const width = 30
	filled := int(frac * width)
	rate := float64(p.posts.Load()) / max(time.Since(p.begin).Seconds(), 0.001)
	fmt.Fprintf(p.e.stderr, "\r[%s%s] %3.0f%%  %d posts  %.0f posts/s ",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), frac*100, p.posts.Load(), rate)
}
