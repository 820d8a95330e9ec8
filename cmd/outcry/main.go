// Command outcry detects service outages from what people post: it ingests public posts
// and feeds, indexes them, counts complaints per service per minute, detects spikes, opens
// incidents and serves a dashboard and a JSON API. cmd/outcry is the only package that
// imports everything; it reads flags and the environment and wires the pipeline.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/outcry/outcry"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	log.SetFlags(0)
	log.SetOutput(&libLog{w: os.Stderr, seen: map[string]bool{}})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad usage or bad input.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// env is what a command gets: its streams and the process environment. Tests fill it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name  string
	usage string
	help  string
	run   func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--config F] [--data DIR] [--addr 127.0.0.1:8080] [--demo]", "run sources, detection, the dashboard and the JSON API", cmdServe},
		{"init", "init [--config F] [--force]", "write a commented sample config", cmdInit},
		{"import", "import [--data DIR] [--json] [--quiet] FILE... (- reads stdin)", "index JSONL or CSV posts", cmdImport},
		{"match", "match [--only-matched] [--text] [FILE]", "read posts (JSONL/CSV or, with --text, plain lines; stdin by default), write them with services/complaint/recovery as JSONL", cmdMatch},
		{"query", `query [--data DIR] [--since 24h] [--until T] [--service ID] [--limit N] [--complaints] [--json] "QUERY"`, "search indexed posts", cmdQuery},
		{"stats", "stats [--data DIR] [--json]", "posts indexed and per-service counts", cmdStats},
		{"detect", "detect [--data DIR] [--since D] [--json [--events]] [--save]", "run detection over stored data and print incidents", cmdDetect},
		{"sources", "sources [--config F] [--addr 127.0.0.1:8080] [--json]", "configured sources and their health", cmdSources},
		{"simulate", "simulate --scenario 2024-06-04 [--seed N] [--scale X] [--out F] [--truth F]", "write simulated posts as JSONL", cmdSimulate},
		{"eval", "eval nab --nab DIR [--out DIR] [--json] | eval incidents --posts F --truth F [--json]", "evaluate the detector", cmdEval},
		{"version", "version", "print the version", cmdVersion},
	}
}

// usageOf is the synopsis of command name, as the command table has it.
func usageOf(name string) string {
	for _, c := range commands() {
		if c.name == name {
			return c.usage
		}
	}
	return name
}

// usageError is bad usage or bad input: exit code 2 with a one-line message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// libLog takes what libraries write through package log (Bleve does, e.g. for every
// snapshot it cannot load) and prints each distinct line once, at most libLogMax of
// them, so a damaged index reads as one warning, not a screenful.
type libLog struct {
	mu   sync.Mutex
	w    io.Writer
	seen map[string]bool
}

const libLogMax = 100

func (l *libLog) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[msg] || len(l.seen) >= libLogMax {
		return len(p), nil
	}
	l.seen[msg] = true
	fmt.Fprintf(l.w, "outcry: (library) %s\n", msg)
	return len(p), nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			args = []string{args[1], "--help"}
		} else {
			if len(args) == 0 {
				printUsage(e.stderr)
				return exitUsage
			}
			printUsage(e.stdout) // asked for: to stdout, so it pipes into a pager
			return exitOK
		}
	}
	if args[0] == "--version" || args[0] == "-version" {
		args[0] = "version"
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		return e.exit(c, err)
	}
	fmt.Fprintf(e.stderr, "outcry: unknown command %q (run 'outcry help')\n", args[0])
	return exitUsage
}

func (e *env) exit(c command, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "outcry %s: %s\n", c.name, ue.msg)
		fmt.Fprintf(e.stderr, "usage: outcry %s\n", c.usage)
		return exitUsage
	case errors.Is(err, outcry.ErrInvalid):
		// The sentinel's own text ("invalid") adds nothing to the message.
		fmt.Fprintf(e.stderr, "outcry %s: %s\n", c.name, strings.TrimSuffix(oneLine(err), ": "+outcry.ErrInvalid.Error()))
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(e.stderr, "outcry %s: interrupted\n", c.name)
		return exitFail
	default:
		fmt.Fprintf(e.stderr, "outcry %s: %s\n", c.name, oneLine(err))
		return exitFail
	}
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "outcry detects service outages from what people post.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: outcry COMMAND [flags] [args]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.help)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'outcry COMMAND --help' for a command's flags. Data lives in --data (default ./outcry-data).")
}

// flagSet is a command's flags plus the help text -h prints.
type flagSet struct {
	*flag.FlagSet
	help func()
}

// newFlags makes a flag set that reports errors instead of exiting. The flag package
// calls Usage on every parse error; parseFlags prints the full help only for -h/--help
// and a one-line message otherwise.
func newFlags(e *env, name, usage string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, help: func() {
		// Asked for with -h/--help: to stdout, so it pipes into a pager.
		fmt.Fprintf(e.stdout, "usage: outcry %s\n\nflags:\n", usage)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parseFlags parses args, allowing flags after positional arguments too
// ("outcry import a.jsonl --data d"), and turns flag errors into usage errors.
func parseFlags(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.help()
				return nil, flag.ErrHelp
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", usageOf("version"))
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	fmt.Fprintf(e.stdout, "outcry %s\n", version)
	return nil
}
