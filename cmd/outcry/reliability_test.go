//go:build reliability

package main

// The long crash-safety run and the disk-trouble tests (issue 6, items 1 and 2), run by
// `make reliability` (go test -tags reliability -run 'Crash|Reliability' ./cmd/outcry).
// See docs/RELIABILITY.md for what they showed.
//
// The disk tests need root: they mount small tmpfs file systems and run serve as the
// unprivileged user nobody (as root, chmod does not stop writes). Where that is not
// permitted they skip and say why.

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// TestCrashReliability is the full crash-safety run: OUTCRY_KILLS SIGKILLs (default 20)
// at random moments while serve ingests about 1,000 posts/s, within OUTCRY_CRASH_BUDGET
// (default 15 s per kill, at least 5 minutes, and always ending 90 s before go test's
// -timeout: raise -timeout for long runs).
func TestCrashReliability(t *testing.T) {
	kills := 20
	if v := os.Getenv("OUTCRY_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("OUTCRY_KILLS=%q: want a positive number", v)
		}
		kills = n
	}
	budget := max(5*time.Minute, time.Duration(kills)*15*time.Second)
	if v := os.Getenv("OUTCRY_CRASH_BUDGET"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("OUTCRY_CRASH_BUDGET=%q: %v", v, err)
		}
		budget = d
	}
	if deadline, ok := t.Deadline(); ok {
		budget = min(budget, time.Until(deadline)-90*time.Second)
	}
	r := runCrashHarness(t, crashConfig{
		Kills: kills, Budget: budget, Rate: 1000, Scale: 1, History: 8 * time.Hour,
		Seed: crashSeed(t), MaxLife: 4 * time.Second, Early: 0.2, LiveIncident: true,
	})
	t.Log(r)
	if !t.Failed() && r.Kills < kills {
		t.Errorf("only %d of %d kills within %s (OUTCRY_CRASH_BUDGET, go test -timeout)", r.Kills, kills, budget)
	}
}

// diskConfig sizes the disk tests' data: a few thousand history posts, a replay at 500
// posts/s.
func diskConfig(t *testing.T) crashConfig {
	return crashConfig{Rate: 500, Scale: 0.5, History: 3 * time.Hour, Seed: crashSeed(t), LiveIncident: true}
}

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (mount, and running serve as another user); run make reliability as root")
	}
}

// mountTmpfs mounts a tmpfs with opts on a fresh directory, unmounted at cleanup.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	requireRoot(t)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the disk tests need CAP_SYS_ADMIN", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remountTmpfs(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s %s: %v %s", dir, opts, err, out)
	}
}

// runChild runs a short CLI command and returns its exit code and stderr.
func runChild(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OUTCRY_TEST_CHILD=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// TestReliabilityDiskReadOnlyAtStart: a data directory on a read-only file system is
// refused at start by import, serve and stats, with one line naming the directory.
func TestReliabilityDiskReadOnlyAtStart(t *testing.T) {
	mnt := mountTmpfs(t, "size=256m") // above the index's 64 MiB free-space reserve
	h := newCrashHarness(t, diskConfig(t), filepath.Join(mnt, "data"))
	h.prepare()
	remountTmpfs(t, mnt, "ro")
	for _, args := range [][]string{
		{"import", "--data", h.data, filepath.Join(h.dir, "history.jsonl")},
		{"serve", "--config", h.config, "--data", h.data, "--addr", "127.0.0.1:0"},
		{"stats", "--data", h.data},
		{"import", "--data", filepath.Join(h.data, "new"), filepath.Join(h.dir, "history.jsonl")},
	} {
		code, stderr := runChild(t, args...)
		t.Logf("outcry %s on a read-only data directory: exit %d: %s", args[0], code, strings.TrimSpace(stderr))
		if code != 1 || !strings.Contains(stderr, "is not writable") || !strings.Contains(stderr, "read-only file system") ||
			strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("outcry %s: want exit 1 and one line saying the data directory is not writable, got %d: %s", args[0], code, stderr)
		}
	}
}

// diskTrouble drives one serve through a disk problem: it serves until posts are
// acknowledged, calls cause, checks that writes stop with a clear error in health and
// logs while reads go on, calls cure, checks that writes resume, stops serve with
// SIGINT and checks the index (every acknowledged post, recount, cursor).
func diskTrouble(t *testing.T, h *crashHarness, want string, cause, cure func()) {
	t.Helper()
	c := h.start(0)
	base := h.waitServing(0, c)
	acked := h.scrapeUntilAck(0, c, base)
	cause()
	// Health names the problem.
	var health outcry.SourceHealth
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list []outcry.SourceHealth
		h.getJSON(base+"/api/v1/sources", &list)
		if len(list) == 1 && list[0].State == outcry.HealthFailing && strings.Contains(list[0].Error, want) {
			health = list[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s of disk trouble the source health does not say %q: %+v\n%s", want, list, c.logTail())
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("health while the disk is in trouble: %s: %s", health.State, health.Error)
	// Nothing is acknowledged while writes fail, and reads are served.
	during := h.indexed(base)
	for range 10 {
		for _, path := range []string{"/api/v1/services", "/api/v1/search?q=chatgpt%20down", "/api/v1/incidents", "/healthz"} {
			resp, err := h.client.Get(base + path)
			if err != nil {
				t.Fatalf("GET %s while the disk is in trouble: %v", path, err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET %s while the disk is in trouble: %s", path, resp.Status)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if now := h.indexed(base); now != during {
		t.Errorf("posts acknowledged durable while writes fail: %d, then %d", during, now)
	}
	logs, _ := os.ReadFile(c.logPath)
	if !strings.Contains(string(logs), "background flush failed") || !strings.Contains(string(logs), want) {
		t.Errorf("the log does not say the flush failed with %q:\n%s", want, c.logTail())
	}
	if n := strings.Count(string(logs), "background flush failed"); n > 5 {
		t.Errorf("the flush failure is logged %d times in a few seconds", n)
	}
	cure()
	// Writes resume by themselves; what was queued meanwhile is written.
	deadline = time.Now().Add(60 * time.Second)
	for {
		logs, _ = os.ReadFile(c.logPath)
		if now := h.indexed(base); now > during && strings.Contains(string(logs), "index writes resumed") {
			t.Logf("writes resumed: %d posts acknowledged before the trouble, %d during, %d after", acked, during, now)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes did not resume within 60s of the cure:\n%s", c.logTail())
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The runner's posts_stored no longer adds up: deliveries refused during the trouble
	// were queued by the index and count as duplicates when delivered again.
	h.noResume = true
	acked = h.scrapeUntil(0, c, base, time.Now().Add(time.Second))
	h.interrupt(c)
	h.check("after the disk trouble", h.data, acked)
	t.Logf("index after the trouble: %d history + %d replayed posts present, recount without mismatch", h.history, h.stored)
}

// TestReliabilityDiskFull fills the data directory's file system (a 128 MiB tmpfs)
// under a running serve: first below the 64 MiB reserve, then to the last byte.
func TestReliabilityDiskFull(t *testing.T) {
	mnt := mountTmpfs(t, "size=128m")
	h := newCrashHarness(t, diskConfig(t), filepath.Join(mnt, "data"))
	h.prepare()
	var fillers []string
	fill := func(leave int64) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(mnt, &st); err != nil {
			t.Fatal(err)
		}
		size := int64(st.Bavail)*int64(st.Bsize) - leave
		if size <= 0 {
			return
		}
		path := filepath.Join(mnt, fmt.Sprintf("filler-%d", len(fillers)))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		// tmpfs allocates on fallocate; a sparse Truncate would not take the space.
		for size > 0 {
			if err := syscall.Fallocate(int(f.Fd()), 0, 0, size); err == nil {
				break
			}
			size -= 256 << 10 // the index grew meanwhile
		}
		fillers = append(fillers, path)
		t.Logf("filled %s with %.1f MiB, leaving %.1f MiB", path, float64(size)/(1<<20), float64(leave)/(1<<20))
	}
	diskTrouble(t, h, "not enough free disk space", func() {
		fill(32 << 20) // below the reserve
		time.Sleep(2 * time.Second)
		fill(0) // and full
	}, func() {
		for _, f := range fillers {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestReliabilityDiskBecomesReadOnly takes write permission away from the data
// directory of a running serve. As root that stops nothing, so serve runs as nobody.
// (Remounting the file system read-only is refused while the index holds files open for
// writing, and the kernel's own emergency remount cannot be triggered for one mount.)
func TestReliabilityDiskBecomesReadOnly(t *testing.T) {
	requireRoot(t)
	h := newCrashHarness(t, diskConfig(t), "")
	h.prepare()
	// nobody must reach the program, the data, the replay file and the config.
	bin := filepath.Join(h.dir, "outcry.test")
	src, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, src, 0o755); err != nil {
		t.Fatal(err)
	}
	for d := h.dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const nobody = 65534
	chownAll := func(root string) {
		if err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, nobody, nobody)
		}); err != nil {
			t.Fatal(err)
		}
	}
	chownAll(h.dir)
	h.bin, h.cred = bin, &syscall.Credential{Uid: nobody, Gid: nobody}
	chmodAll := func(write bool) {
		if err := filepath.WalkDir(h.data, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			mode := info.Mode().Perm()
			if write {
				mode |= 0o200
			} else {
				mode &^= 0o222
			}
			return os.Chmod(path, mode)
		}); err != nil {
			t.Fatal(err)
		}
	}
	diskTrouble(t, h, "read-only", func() { chmodAll(false) }, func() { chmodAll(true) })
}
