package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets tests run the real program in a child process (the crash tests kill it
// with SIGKILL): with OUTCRY_TEST_CHILD=1 the test binary is outcry.
func TestMain(m *testing.M) {
	if os.Getenv("OUTCRY_TEST_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// runCLI runs the program in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, 2, "usage: outcry COMMAND"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "outcry detects service outages"},
		{"command help", []string{"import", "--help"}, 0, "usage: outcry import"},
		{"bad flag", []string{"stats", "--nope"}, 2, "flag provided but not defined"},
		{"import without files", []string{"import"}, 2, "no input files"},
		{"import unreadable", []string{"import", "--data", "{tmp}", "/nonexistent/posts.jsonl"}, 2, "cannot read /nonexistent/posts.jsonl"},
		{"query without query", []string{"query", "--data", "{tmp}"}, 2, "want exactly one QUERY"},
		{"query on missing data", []string{"query", "--data", "{tmp}/none", "x"}, 2, "no data in"},
		{"query bad since", []string{"query", "--since", "yesterday", "x"}, 2, `--since "yesterday"`},
		{"query inverted window", []string{"query", "--since", "2024-06-04T12:00:00Z", "--until", "2024-06-04T10:00:00Z", "x"}, 2, "is not after --since"},
		{"usage names every flag", []string{"query", "--since", "yesterday", "x"}, 2, "[--until T]"},
		{"simulate unknown scenario", []string{"simulate", "--scenario", "nope"}, 2, "nope"},
		{"simulate bad scale", []string{"simulate", "--scenario", "2024-06-04", "--scale", "-1"}, 2, "--scale"},
		{"eval without subcommand", []string{"eval"}, 2, "nab or incidents"},
		{"eval nab without dir", []string{"eval", "nab"}, 2, "--nab DIR is required"},
		{"serve beyond loopback", []string{"serve", "--addr", "0.0.0.0:0", "--data", "{tmp}"}, 2, "not a loopback address"},
		{"version", []string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "{tmp}", tmp)
			}
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if code == 0 && tt.stderr != "" {
				// Help that was asked for goes to stdout, for a pager.
				if stderr != "" || !strings.Contains(stdout, tt.stderr) {
					t.Errorf("stdout %q stderr %q, want %q on stdout", stdout, stderr, tt.stderr)
				}
				return
			}
			if !strings.Contains(stderr, strings.ReplaceAll(tt.stderr, "{tmp}", tmp)) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderr)
			}
			if tt.code == 2 && tt.name != "no command" && strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
				t.Errorf("bad usage should be a short message, got:\n%s", stderr)
			}
		})
	}
}

func TestMatchFilter(t *testing.T) {
	in := `{"id":"a","text":"ChatGPT is down again, can't log in","created_at":"2024-06-04T14:20:00Z","lang":"en"}
{"id":"b","text":"ChatGPT, Claude, et Perplexity — trois services d'IA totalement différents — sont tous en panne en ce moment. Mais que se passe-t-il ?","created_at":"2024-06-04T15:07:00Z","lang":"fr"}
{"id":"c","text":"Claude Monet exhibition was lovely","created_at":"2024-06-04T15:08:00Z"}
not json
`
	code, out, stderr := runCLI(t, in, "match")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "stdin:4") {
		t.Errorf("the bad line is not reported with its number: %q", stderr)
	}
	var got []matchedPostJSON
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var p matchedPostJSON
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		got = append(got, p)
	}
	if len(got) != 3 {
		t.Fatalf("got %d posts, want 3", len(got))
	}
	if !got[0].Complaint || strings.Join(got[0].Affected, ",") != "chatgpt" {
		t.Errorf("post a: %+v", got[0])
	}
	if !got[1].Complaint || strings.Join(got[1].Affected, ",") != "chatgpt,claude,perplexity" {
		t.Errorf("the quoted post must be one complaint for all three: %+v", got[1])
	}
	if got[2].Complaint || len(got[2].Services) != 0 {
		t.Errorf("Claude Monet is not the AI: %+v", got[2])
	}
	if !strings.Contains(out, `"services":[]`) {
		t.Errorf("services must always be present: %s", out)
	}
}

// TestMatchWithoutTimes: classifying needs no time, so match takes rows without
// created_at (import does not) and, with --text, plain lines; a bad time is still bad.
func TestMatchWithoutTimes(t *testing.T) {
	in := `{"text":"Discord est en panne"}
{"text":"Steam works again","created_at":"yesterday"}
`
	code, out, stderr := runCLI(t, in, "match")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"affected":["discord"]`) || strings.Contains(out, "created_at") {
		t.Errorf("exit %d, out %q, stderr %q", code, out, stderr)
	}
	if !strings.Contains(stderr, `stdin:2: bad created_at "yesterday"`) {
		t.Errorf("the bad time is not reported: %q", stderr)
	}
	code, out, stderr = runCLI(t, "ChatGPT down again\n\nnice weather today\n", "match", "--text")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[0], `"complaint":true`) || !strings.Contains(lines[1], `"services":[]`) {
		t.Errorf("--text: exit %d, out %q, stderr %q", code, out, stderr)
	}
	if code, _, _ := runCLI(t, "text\nhello\n", "import", "--data", t.TempDir(), "-"); code == 0 {
		t.Error("import must still require created_at")
	}
}

func TestInitWritesParsableConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outcry.yaml")
	if code, _, stderr := runCLI(t, "", "init", "--config", path); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, s := range cfg.Sources {
		types[s.Type]++
		if s.Type == "twitter" && s.enabled() {
			t.Error("X must be off by default")
		}
	}
	for _, want := range []string{"bluesky", "mastodon", "rss", "statuspage", "twitter"} {
		if types[want] == 0 {
			t.Errorf("sample config has no %s source", want)
		}
	}
	if types["mastodon"] < 2 || types["statuspage"] < 5 {
		t.Errorf("sample: %v", types)
	}
	if code, _, stderr := runCLI(t, "", "init", "--config", path); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("init over an existing file: exit %d %q", code, stderr)
	}
}

// TestDamagedIndexIsAClearError: segments cut short (a disk that lost writes) give a
// one-line error that says the index is damaged and what to do, not a panic.
func TestDamagedIndexIsAClearError(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := `{"id":"a","text":"ChatGPT is down","created_at":"2024-06-04T14:20:00Z"}` + "\n"
	if code, _, stderr := runCLI(t, in, "import", "--data", data, "-"); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	zaps, _ := filepath.Glob(filepath.Join(data, "*.bleve", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files to damage")
	}
	for _, z := range zaps {
		fi, err := os.Stat(z)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(z, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, "", "stats", "--data", data)
	if code != 1 || !strings.Contains(stderr, "damaged") || !strings.Contains(stderr, "restore a copy") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
