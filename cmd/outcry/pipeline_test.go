package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// simulate writes a simulated day to a file and returns its path and its post count.
func simulate(t *testing.T, dir string, scale float64) (string, int) {
	t.Helper()
	path := filepath.Join(dir, "day.jsonl")
	code, _, stderr := runCLI(t, "", "simulate", "--scenario", "2024-06-04", "--scale", fmt.Sprint(scale), "--out", path, "--truth", filepath.Join(dir, "truth.csv"))
	if code != 0 {
		t.Fatalf("simulate: %d %s", code, stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
	}
	return path, n
}

func TestImportQueryStatsDetect(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	posts, n := simulate(t, dir, 0.25)

	code, out, stderr := runCLI(t, "", "import", "--json", "--data", data, posts)
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Imported != n || sum.Rejected != 0 || sum.Duplicates != 0 {
		t.Fatalf("first import: %+v, want %d imported", sum, n)
	}
	// Importing the same file again changes nothing.
	code, out, _ = runCLI(t, "", "import", "--json", "--data", data, posts)
	if code != 0 {
		t.Fatal("second import failed")
	}
	sum = importSummary{}
	json.Unmarshal([]byte(out), &sum)
	if sum.Imported != 0 || sum.Duplicates != n {
		t.Fatalf("re-import: %+v, want 0 imported and %d duplicates", sum, n)
	}

	var st statsOutput
	code, out, stderr = runCLI(t, "", "stats", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("stats: %s", stderr)
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Posts != uint64(n) || st.First == nil || st.Services["chatgpt"].Complaints == 0 {
		t.Fatalf("stats: %+v", st)
	}

	var q queryOutput
	code, out, stderr = runCLI(t, "", "query", "--json", "--data", data, "--since", "all", "--service", "chatgpt", "chatgpt down")
	if code != 0 {
		t.Fatalf("query: %s", stderr)
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil {
		t.Fatal(err)
	}
	if q.Total == 0 || len(q.Buckets) == 0 || len(q.Hits) == 0 || len(q.Facets["langs"]) == 0 {
		t.Fatalf("query: total %d, %d buckets, %d hits, facets %v", q.Total, len(q.Buckets), len(q.Hits), q.Facets)
	}
	for _, h := range q.Hits {
		if !strings.Contains(strings.ToLower(h.Post.Text), "chatgpt") && !strings.Contains(strings.ToLower(h.Post.Text), "down") {
			t.Errorf("hit does not match: %q", h.Post.Text)
		}
	}
	code, _, stderr = runCLI(t, "", "query", "--data", data, "--since", "all", `"unterminated`)
	if code != 2 || !strings.Contains(stderr, "unterminated quote") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("bad query string: exit %d %q", code, stderr)
	}

	code, out, stderr = runCLI(t, "", "detect", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("detect: %s", stderr)
	}
	var incs []map[string]any
	if err := json.Unmarshal([]byte(out), &incs); err != nil {
		t.Fatalf("detect --json: %v\n%s", err, out)
	}
	found := map[string]int{}
	for _, in := range incs {
		for _, k := range []string{"id", "service", "start", "end", "peak", "score", "status"} {
			if _, ok := in[k]; !ok {
				t.Errorf("incident without %q: %v", k, in)
			}
		}
		found[in["service"].(string)]++
	}
	if found["chatgpt"] < 2 {
		t.Errorf("detect found %v; want both ChatGPT outages", found)
	}
}

func TestImportReportsBadRows(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "posts.csv")
	os.WriteFile(csv, []byte("created_at,text,author,extra\n"+
		"2024-06-04T14:20:00Z,ChatGPT is down,al,x\n"+
		"yesterday,ChatGPT is down,bo,x\n"+
		"2024-06-04T14:21:00Z,,cy,x\n"+
		"2024-06-04T14:22:00Z,\"Claude en panne, encore\",di,x\n"), 0o644)
	code, out, stderr := runCLI(t, "", "import", "--data", filepath.Join(dir, "d"), csv)
	if code != 0 {
		t.Fatalf("bad rows must not be fatal: %d %s", code, stderr)
	}
	if !strings.Contains(out, "imported 2 posts") || !strings.Contains(out, "2 rejected") {
		t.Errorf("summary: %s", out)
	}
	if !strings.Contains(out, "posts.csv:3") || !strings.Contains(out, "posts.csv:4") {
		t.Errorf("rejected rows not named by file:line: %s", out)
	}
}

// TestImportSurvivesSIGKILL kills a real `outcry import` midway and runs it again: the
// index ends with exactly the unique posts, nothing lost, nothing doubled.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	posts, n := simulate(t, dir, 0.5)
	// Append a tenth of the file again: duplicates inside the input too.
	b, _ := os.ReadFile(posts)
	lines := strings.SplitAfter(string(b), "\n")
	f, _ := os.OpenFile(posts, os.O_APPEND|os.O_WRONLY, 0)
	for i := 0; i < len(lines); i += 10 {
		f.WriteString(lines[i])
	}
	f.Close()

	child := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "OUTCRY_TEST_CHILD=1")
		return cmd
	}
	// Each killed run reads the file through a pipe the test holds open, so it cannot
	// finish: the kill always lands midway, after it has indexed part of the input.
	killed := 0
	for round, part := range []float64{0.3, 0.6} {
		cmd := child("import", "--quiet", "--data", data, "-")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdin.Write([]byte(strings.Join(lines[:int(part*float64(len(lines)))], "")))
		time.Sleep(3 * time.Second)
		cmd.Process.Signal(syscall.SIGKILL)
		err = cmd.Wait()
		stdin.Close()
		if ee, ok := err.(*exec.ExitError); ok && ee.Sys().(syscall.WaitStatus).Signaled() {
			killed++
		} else {
			t.Errorf("round %d: import was not killed (%v)", round, err)
		}
	}
	out, err := child("import", "--quiet", "--json", "--data", data, posts).Output()
	if err != nil {
		t.Fatalf("import after kills: %v", err)
	}
	var sum importSummary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatal(err)
	}
	out, err = child("stats", "--json", "--data", data).Output()
	if err != nil {
		t.Fatal(err)
	}
	var st statsOutput
	json.Unmarshal(out, &st)
	if st.Posts != uint64(n) {
		t.Fatalf("after %d kills: %d posts indexed, want exactly %d unique", killed, st.Posts, n)
	}
	t.Logf("%d kills survived; %d unique posts; the killed runs had indexed %d, the last run imported %d and skipped %d duplicates",
		killed, n, n-sum.Imported, sum.Imported, sum.Duplicates)
	if sum.Imported == n {
		t.Error("the killed runs indexed nothing; the test proved nothing")
	}
}
