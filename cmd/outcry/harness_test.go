//go:build e2e || load

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// servingRE finds the listen URL in serve's "outcry serving" log line.
var servingRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)

func getJSON(t *testing.T, ctx context.Context, url string, v any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// startServe runs `bin serve` on 127.0.0.1:0 with a fresh data directory (and env added
// to the environment) and returns its base URL once it logs that it serves, and the
// process. At cleanup it stops it with SIGINT and checks it exits cleanly within 10 s.
func startServe(t *testing.T, bin string, env []string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	dir := t.TempDir()
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "demo")}, args...)
	// Not CommandContext: the cleanup below stops it with SIGINT and checks the exit.
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("outcry serve exited with %v after SIGINT", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("outcry serve did not exit within 10s of SIGINT")
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := servingRE.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
			if strings.Contains(line, "level=ERROR") {
				t.Logf("serve: %s", line)
			}
		}
	}()
	select {
	case u := <-found:
		return u, cmd
	case <-time.After(60 * time.Second):
		t.Fatal("outcry serve did not start within 60s")
	}
	return "", nil
}
