package main

// The crash-safety harness (issue 6, item 1). It runs the real program, re-executing
// this test binary as `outcry` (TestMain, OUTCRY_TEST_CHILD=1): `outcry serve` with one
// replay source streaming a simulated 4 June 2024 at several hundred posts/s on top of
// hours of imported history ending 71 minutes into the ChatGPT outage, so that an incident
// is open, and kills it with SIGKILL at random moments (seeded, logged), restarting it on
// the same data directory. TestCrashQuick (5 kills) runs in the normal suite;
// TestCrashReliability (reliability_test.go, build tag reliability) is the long form.
//
// Before each kill it scrapes /metrics (outcry_posts_indexed_total: posts acknowledged
// durable by this process), /api/v1/sources (the replay's cursor and counts) and
// /api/v1/incidents?state=open. After each kill it copies the crashed data directory,
// opens the copy in-process and checks it, while the next process starts on the
// original, untouched crash state:
//
//   - the index opens;
//   - every acknowledged post is present: the replay's kept posts are indexed in order,
//     so the store must hold exactly the first S of them, S ≥ the acknowledged count;
//   - nothing counted twice: Recount finds the stored counts and stats equal to a
//     recount of the stored posts (stats posts = stored documents);
//   - the stored cursor sits exactly after the S-th kept post (never ahead, never behind);
//   - every incident the API showed open before the kill is stored, open.
//
// After each restart it checks that the replay resumed from the stored cursor (the
// runner's posts_seen and posts_stored equal what lies between the stored cursor and the
// current one, so nothing was delivered twice) and that the open incidents are still
// open with the same ids. The last process is stopped with SIGINT and must exit 0.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
	"github.com/outcry/outcry/ingest/replay"
	"github.com/outcry/outcry/ingest/sim"
)

// crashConfig sizes one harness run.
type crashConfig struct {
	// Kills is how many SIGKILLs to deliver; Budget bounds the run in wall-clock time
	// (the harness stops killing early, and says so, when it is spent).
	Kills  int
	Budget time.Duration
	// Rate is the replay's target pace in stored posts per second.
	Rate float64
	// Scale is the simulated day's volume (1 ≈ 62,000 posts).
	Scale float64
	// History is how much of the day before now is imported (at most 8h: the day is
	// placed so that its 08:00, 71 minutes into the ChatGPT outage, is now).
	History time.Duration
	// Seed drives the kill moments.
	Seed int64
	// MaxLife is the longest a serving process lives before its kill; each life is
	// uniform in [MaxLife/10, MaxLife].
	MaxLife time.Duration
	// Early is the share of kills that land at a random moment before the process
	// serves (opening the index, restoring detection).
	Early float64
	// LiveIncident makes the first process serve until its own monitor opens an incident
	// (up to 90 s: detection processes a minute once it has closed). Without it the
	// harness runs the monitor in-process once, a minute ahead of the clock, before the
	// first start, so that an incident is stored open for serve to adopt.
	LiveIncident bool
}

// crashSource is the replay source's name in the harness config.
const crashSource = "crash-replay"

// crashItem is one row of the replay file as the replay source will emit it.
type crashItem struct {
	id   string
	line int
	kept bool // names a catalog service, so serve stores it
}

// crashSeq models the replay stream: the file's posts in the order the replay source
// emits them (created_at, then line), pass after pass (loop: true). A position counts
// emitted rows from the start of pass 0.
type crashSeq struct {
	file   string
	items  []crashItem
	keptAt []int       // keptAt[i]: kept rows among items[:i]; len(items)+1 entries
	keptIx []int       // positions (within a pass) of the kept rows
	byLine map[int]int // file line -> position within a pass
}

func newCrashSeq(t *testing.T, file string) *crashSeq {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct {
		p    outcry.Post
		line int
	}
	var rows []row
	err = replay.ReadPosts(f, file, func(line int, p outcry.Post, err error) error {
		if err != nil {
			return err
		}
		rows = append(rows, row{p, line})
		return nil
	})
	if err != nil {
		t.Fatalf("replay file: %v", err)
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.p.CreatedAt.Compare(b.p.CreatedAt) })
	m, err := detect.NewMatcher(detect.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	s := &crashSeq{file: file, byLine: map[int]int{}, keptAt: make([]int, 1, len(rows)+1)}
	for i, r := range rows {
		p := r.p
		m.Match(&p)
		kept := len(p.Services) > 0
		s.items = append(s.items, crashItem{id: r.p.ID, line: r.line, kept: kept})
		s.byLine[r.line] = i
		n := s.keptAt[i]
		if kept {
			n++
			s.keptIx = append(s.keptIx, i)
		}
		s.keptAt = append(s.keptAt, n)
	}
	if len(s.keptIx) == 0 {
		t.Fatal("replay file has no post naming a service")
	}
	return s
}

// kept returns how many kept rows lie among the first pos positions.
func (s *crashSeq) kept(pos int) int {
	n := len(s.items)
	return pos/n*len(s.keptIx) + s.keptAt[pos%n]
}

// keptID returns the id of the j-th kept row (from 0), as the replay names it.
func (s *crashSeq) keptID(j int) string {
	pass, k := j/len(s.keptIx), j%len(s.keptIx)
	id := s.items[s.keptIx[k]].id
	if pass > 0 {
		id += ":loop" + strconv.Itoa(pass)
	}
	return id
}

// position returns how many positions a replay resuming from cursor has consumed.
func (s *crashSeq) position(cursor string) (int, error) {
	if cursor == "" {
		return 0, nil
	}
	rest, pass := cursor, 0
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			return 0, fmt.Errorf("cursor %q: bad pass", cursor)
		}
		rest, pass = rest[:i], n
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 || rest[:i] != s.file {
		return 0, fmt.Errorf("cursor %q: not a line of %s", cursor, s.file)
	}
	line, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		return 0, fmt.Errorf("cursor %q: bad line", cursor)
	}
	k, ok := s.byLine[line]
	if !ok {
		return 0, fmt.Errorf("cursor %q: no post on that line", cursor)
	}
	return pass*len(s.items) + k + 1, nil
}

// crashReport is what a harness run survived and checked.
type crashReport struct {
	Seed         int64
	Kills        int // SIGKILLs survived
	EarlyKills   int // of which before the process served
	Restarts     int
	Acked        int // highest count of replay posts acknowledged durable before a kill
	Stored       int // replay posts stored at the end
	History      int // imported posts
	PostsChecked int // post lookups (presence of acknowledged posts, absence of the next)
	Recounts     int // full recounts without a mismatch
	HealthChecks int // cursor-resume checks on /api/v1/sources
	Incidents    int // distinct open incidents carried across kills
	Carried      int // (incident, restart) pairs found open again after a restart
	Elapsed      time.Duration
	Prepare      time.Duration // simulate, import, seed
	Startup      time.Duration // mean time from exec to serving
	Check        time.Duration // mean time to copy and check a crashed data directory
	Rate         float64       // stored replay posts per second of serving
}

func (r crashReport) String() string {
	return fmt.Sprintf("seed %d: %d kills survived (%d before serving), %d restarts, %d history posts + %d replayed posts stored "+
		"(%d acknowledged at most before a kill), %d post lookups, %d recounts without mismatch, %d resume checks, "+
		"%d open incidents carried over %d restarts, %.0f posts/s while serving; %s in all (prepare %s, startup %s, check %s on average)",
		r.Seed, r.Kills, r.EarlyKills, r.Restarts, r.History, r.Stored, r.Acked, r.PostsChecked, r.Recounts,
		r.HealthChecks, r.Incidents, r.Carried, r.Rate, r.Elapsed.Round(time.Second),
		r.Prepare.Round(time.Millisecond), r.Startup.Round(time.Millisecond), r.Check.Round(time.Millisecond))
}

// crashHarness is one run's state.
type crashHarness struct {
	t      *testing.T
	cfg    crashConfig
	rng    *rand.Rand
	dir    string
	data   string
	config string
	// bin is the program (this test binary); cred, when set, runs serve as another user.
	bin    string
	cred   *syscall.Credential
	seq    *crashSeq
	client *http.Client

	history  int  // posts imported before the first serve
	noResume bool // skip checkResume
	stored   int  // replay posts stored at the last check
	pos      int  // replay position after the stored cursor
	open     map[string]bool
	seen     map[string]bool // every incident id ever seen open
	report   crashReport
	serving  time.Duration
	// for the mean startup and check times
	startups, checks     int
	startupSum, checkSum time.Duration
}

// newCrashHarness returns a harness working in a fresh temporary directory, with the
// data directory data ("": one inside it).
func newCrashHarness(t *testing.T, cfg crashConfig, data string) *crashHarness {
	h := &crashHarness{
		t:      t,
		cfg:    cfg,
		rng:    rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6f7574637279)),
		dir:    t.TempDir(),
		data:   data,
		bin:    os.Args[0],
		client: &http.Client{Timeout: 10 * time.Second},
		open:   map[string]bool{},
		seen:   map[string]bool{},
	}
	if h.data == "" {
		h.data = filepath.Join(h.dir, "data")
	}
	h.report.Seed = cfg.Seed
	return h
}

// crashSeed returns OUTCRY_CRASH_SEED or a fresh seed.
func crashSeed(t *testing.T) int64 {
	if v := os.Getenv("OUTCRY_CRASH_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("OUTCRY_CRASH_SEED=%q: %v", v, err)
		}
		return n
	}
	return time.Now().UnixNano() % 1_000_000
}

// runCrashHarness runs the harness and returns what it survived; failures are reported
// through t.
func runCrashHarness(t *testing.T, cfg crashConfig) crashReport {
	t.Helper()
	t.Logf("crash harness: seed %d (rerun with OUTCRY_CRASH_SEED=%d), %d kills within %s", cfg.Seed, cfg.Seed, cfg.Kills, cfg.Budget)
	h := newCrashHarness(t, cfg, "")
	begin := time.Now()
	h.prepare()
	h.report.Prepare = time.Since(begin)
	deadline := begin.Add(cfg.Budget)
	for life := 0; h.report.Kills < cfg.Kills; life++ {
		if time.Now().After(deadline) {
			t.Logf("time budget %s spent after %d of %d kills", cfg.Budget, h.report.Kills, cfg.Kills)
			break
		}
		early := life > 0 && h.rng.Float64() < cfg.Early
		h.life(life, early)
		if t.Failed() {
			return h.report
		}
	}
	h.finish()
	h.report.Elapsed = time.Since(begin)
	if h.startups > 0 {
		h.report.Startup = h.startupSum / time.Duration(h.startups)
	}
	if h.checks > 0 {
		h.report.Check = h.checkSum / time.Duration(h.checks)
	}
	h.report.Incidents = len(h.seen)
	if h.serving > 0 {
		h.report.Rate = float64(h.report.Stored) / h.serving.Seconds()
	}
	return h.report
}

// prepare writes the day: posts before now are imported as history (the ChatGPT outage
// that began at 06:49 is 71 minutes old), the rest becomes the replay file.
func (h *crashHarness) prepare() {
	t := h.t
	now := time.Now().UTC().Truncate(time.Minute)
	cfg := sim.Config{Scenario: "2024-06-04", Seed: 1, Scale: h.cfg.Scale, Start: now.Add(-8 * time.Hour)}
	histPath := filepath.Join(h.dir, "history.jsonl")
	replayPath := filepath.Join(h.dir, "replay.jsonl")
	hist, err := os.Create(histPath)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := os.Create(replayPath)
	if err != nil {
		t.Fatal(err)
	}
	hw, rw := bufio.NewWriter(hist), bufio.NewWriter(rep)
	he, re := json.NewEncoder(hw), json.NewEncoder(rw)
	var first, last time.Time
	from := now.Add(-h.cfg.History)
	err = sim.Generate(t.Context(), cfg, func(p outcry.Post) error {
		if p.CreatedAt.Before(from) {
			return nil
		}
		if p.CreatedAt.Before(now) {
			return he.Encode(p)
		}
		if first.IsZero() {
			first = p.CreatedAt
		}
		last = p.CreatedAt
		return re.Encode(p)
	})
	for _, e := range []error{err, hw.Flush(), rw.Flush(), hist.Close(), rep.Close()} {
		if e != nil {
			t.Fatal(e)
		}
	}
	h.seq = newCrashSeq(t, replayPath)

	out := h.cli("import", "--quiet", "--json", "--data", h.data, histPath)
	var sum importSummary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("import output %q: %v", out, err)
	}
	h.history = h.openHistory(sum.Imported)
	h.report.History = h.history

	// Speed: the replay's kept posts arrive at Rate per second.
	span := last.Sub(first) + time.Minute // one pass, with the replay's gap between passes
	speed := h.cfg.Rate * span.Seconds() / float64(len(h.seq.keptIx))
	h.config = filepath.Join(h.dir, "outcry.yaml")
	yaml := fmt.Sprintf("sources:\n  - type: replay\n    name: %s\n    files: [%q]\n    speed: %g\n    loop: true\n", crashSource, replayPath, speed)
	if err := os.WriteFile(h.config, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("history: %d posts imported; replay: %d posts per pass (%d naming a service) at speed %.0f",
		h.history, len(h.seq.items), len(h.seq.keptIx), speed)
}

// openHistory checks that the import stored every history post and returns their
// number. Unless LiveIncident, it then runs serve's detection over them in-process, the
// way serve's monitor would two minutes from now (once the last imported minutes have
// closed), and stores what that opens: the ChatGPT outage, open.
func (h *crashHarness) openHistory(imported int) int {
	t := h.t
	ctx := t.Context()
	ix, err := openIndex(h.data, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Posts == 0 || int(st.Posts) != imported {
		t.Fatalf("history: imported %d, stored %d", imported, st.Posts)
	}
	if h.cfg.LiveIncident {
		return imported
	}
	cat := detect.DefaultCatalog()
	mcfg := detect.DefaultMonitorConfig()
	mcfg.Services = cat.IDs()
	m := detect.NewMonitor(mcfg, detect.MonitorDeps{Store: ix, Summarizer: ix, Incidents: ix, Official: ix}, nil)
	if err := m.Restore(ctx, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := m.Advance(ctx, time.Now().Add(mcfg.Lag)); err != nil {
		t.Fatal(err)
	}
	open, err := ix.Incidents(ctx, index.IncidentFilter{State: outcry.StateOpen})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) == 0 {
		t.Fatal("detection over 71 minutes of the ChatGPT outage opened no incident")
	}
	for _, inc := range open {
		t.Logf("seeded open incident %s (%s since %s)", inc.ID, inc.Service, inc.Start.Format(time.RFC3339))
	}
	return imported
}

// cli runs a short CLI command as a child process and returns its stdout.
func (h *crashHarness) cli(args ...string) []byte {
	h.t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OUTCRY_TEST_CHILD=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		h.t.Fatalf("outcry %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// crashChild is one running `outcry serve`.
type crashChild struct {
	cmd     *exec.Cmd
	started time.Time
	logPath string
	ready   chan string // the base URL, once served
	exited  chan error  // cmd.Wait's result
}

var crashServingRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)

func (h *crashHarness) start(life int) *crashChild {
	t := h.t
	c := &crashChild{
		logPath: filepath.Join(h.dir, fmt.Sprintf("serve-%02d.log", life)),
		ready:   make(chan string, 1),
		exited:  make(chan error, 1),
	}
	c.cmd = exec.Command(h.bin, "serve", "--config", h.config, "--data", h.data, "--addr", "127.0.0.1:0")
	c.cmd.Env = append(os.Environ(), "OUTCRY_TEST_CHILD=1")
	if h.cred != nil {
		c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: h.cred}
	}
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(c.logPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		t.Fatal(err)
	}
	c.started = time.Now()
	t.Cleanup(func() { _ = c.cmd.Process.Kill() }) // a no-op once it has exited
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if m := crashServingRE.FindStringSubmatch(line); m != nil {
				select {
				case c.ready <- m[1]:
				default:
				}
			}
		}
		io.Copy(logf, stderr)
		logf.Close()
		c.exited <- c.cmd.Wait()
	}()
	return c
}

// logTail returns the end of the child's log, for failure messages.
func (c *crashChild) logTail() string {
	b, _ := os.ReadFile(c.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 25 {
		lines = lines[len(lines)-25:]
	}
	return strings.Join(lines, "\n")
}

// kill sends SIGKILL and expects the child to die of it.
func (h *crashHarness) kill(c *crashChild) {
	t := h.t
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	select {
	case err := <-c.exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
			t.Fatalf("serve was not killed but exited (%v):\n%s", err, c.logTail())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not die within 30s of SIGKILL")
	}
}

// life runs one process: it serves (or is killed while starting when early), is
// scraped at random moments, killed, and the crash state is checked.
func (h *crashHarness) life(n int, early bool) {
	t := h.t
	c := h.start(n)
	var acked int
	if early {
		// A moment within the time a start has taken so far: opening the index,
		// restoring detection, starting the sources.
		delay := time.Duration(h.rng.Float64() * float64(h.startupSum/time.Duration(max(h.startups, 1))))
		select {
		case <-time.After(delay):
		case err := <-c.exited:
			t.Fatalf("life %d: serve exited while starting (%v):\n%s", n, err, c.logTail())
		}
		select {
		case <-c.ready:
			t.Logf("life %d: killed %s after start, already serving", n, delay.Round(time.Millisecond))
		default:
			h.report.EarlyKills++
			t.Logf("life %d: killed %s after start, before serving", n, delay.Round(time.Millisecond))
		}
	} else {
		base := h.waitReady(n, c)
		// Half the lives are timed from serving, half from the first acknowledged
		// batch, so that kills land both before and between flushes even when a
		// loaded machine makes the first flush late.
		lifetime := h.cfg.MaxLife/10 + time.Duration(h.rng.Float64()*float64(h.cfg.MaxLife*9/10))
		fromAck := h.rng.IntN(2) == 1
		began := time.Now()
		if fromAck {
			acked = h.scrapeUntilAck(n, c, base)
		}
		acked = max(acked, h.scrapeUntil(n, c, base, time.Now().Add(lifetime)))
		h.serving += time.Since(began)
		anchor := "serving"
		if fromAck {
			anchor = "its first acknowledgement"
		}
		t.Logf("life %d: killed %s after %s (%s serving); %d posts acknowledged by this process",
			n, lifetime.Round(time.Millisecond), anchor, time.Since(began).Round(time.Millisecond), acked)
	}
	h.kill(c)
	h.report.Kills++
	if t.Failed() {
		t.Logf("serve log:\n%s", c.logTail())
		return
	}
	h.checkCopy(n, h.stored+acked)
}

// waitServing waits for the serving line and returns the base URL.
func (h *crashHarness) waitServing(n int, c *crashChild) string {
	t := h.t
	var base string
	select {
	case base = <-c.ready:
	case err := <-c.exited:
		t.Fatalf("life %d: serve exited before serving (%v):\n%s", n, err, c.logTail())
	case <-time.After(90 * time.Second):
		t.Fatalf("life %d: serve did not start within 90s:\n%s", n, c.logTail())
	}
	h.startups++
	h.startupSum += time.Since(c.started)
	return base
}

// waitReady waits for the serving line and checks what a restart must have kept.
func (h *crashHarness) waitReady(n int, c *crashChild) string {
	t := h.t
	base := h.waitServing(n, c)
	if n > 0 {
		h.report.Restarts++
	}
	// Open incidents survived: restore ran before the serving line.
	open := h.openIncidents(base)
	for id := range h.open {
		if !open[id] {
			t.Errorf("life %d: incident %s was open before the kill and is not open after the restart (open now: %v)", n, id, slices.Sorted(maps.Keys(open)))
		} else if n > 0 {
			h.report.Carried++
		}
	}
	if n == 0 && h.cfg.LiveIncident {
		// Serve until the monitor, processing each minute as it closes, opens one.
		deadline := time.Now().Add(90 * time.Second)
		for len(open) == 0 && time.Now().Before(deadline) {
			select {
			case err := <-c.exited:
				t.Fatalf("life %d: serve exited on its own (%v):\n%s", n, err, c.logTail())
			case <-time.After(500 * time.Millisecond):
			}
			open = h.openIncidents(base)
		}
		t.Logf("life %d: the monitor opened %v", n, slices.Sorted(maps.Keys(open)))
	}
	if n == 0 && len(open) == 0 {
		t.Fatalf("no incident is open after importing 71 minutes of the ChatGPT outage: the harness would prove nothing about incidents\n%s", c.logTail())
	}
	h.noteOpen(open)
	return base
}

func (h *crashHarness) noteOpen(open map[string]bool) {
	h.open = open
	for id := range open {
		h.seen[id] = true
	}
}

// scrapeUntil scrapes the child at random intervals until the deadline and returns the
// last acknowledged count (outcry_posts_indexed_total).
func (h *crashHarness) scrapeUntil(n int, c *crashChild, base string, until time.Time) int {
	t := h.t
	acked := 0
	for time.Now().Before(until) {
		select {
		case err := <-c.exited:
			t.Fatalf("life %d: serve exited on its own (%v):\n%s", n, err, c.logTail())
		case <-time.After(time.Duration(20+h.rng.IntN(180)) * time.Millisecond):
		}
		acked = h.indexed(base)
		h.checkResume(n, base)
		h.noteOpen(h.openIncidents(base))
		if t.Failed() {
			return acked
		}
	}
	return acked
}

// scrapeUntilAck scrapes until the child acknowledges a first batch (bounded).
func (h *crashHarness) scrapeUntilAck(n int, c *crashChild, base string) int {
	t := h.t
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if acked := h.scrapeUntil(n, c, base, time.Now().Add(50*time.Millisecond)); acked > 0 || t.Failed() {
			return acked
		}
	}
	t.Fatalf("life %d: nothing acknowledged within 60s of serving:\n%s", n, c.logTail())
	return 0
}

// indexed reads outcry_posts_indexed_total from /metrics.
func (h *crashHarness) indexed(base string) int {
	t := h.t
	resp, err := h.client.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "outcry_posts_indexed_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("outcry_posts_indexed_total %q: %v", v, err)
			}
			return int(f)
		}
	}
	t.Fatalf("/metrics (%s) has no outcry_posts_indexed_total", resp.Status)
	return 0
}

func (h *crashHarness) getJSON(url string, v any) {
	t := h.t
	resp, err := h.client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func (h *crashHarness) openIncidents(base string) map[string]bool {
	var list []outcry.Incident
	h.getJSON(base+"/api/v1/incidents?state=open&limit=1000", &list)
	open := map[string]bool{}
	for _, inc := range list {
		open[inc.ID] = true
	}
	return open
}

// checkResume checks that the replay resumed from the stored cursor: what the runner saw
// and stored since the start is exactly the rows between that cursor and its current one.
func (h *crashHarness) checkResume(n int, base string) {
	t := h.t
	if h.noResume {
		return
	}
	var list []outcry.SourceHealth
	h.getJSON(base+"/api/v1/sources", &list)
	for _, s := range list {
		if s.Name != crashSource {
			continue
		}
		if s.Cursor == "" && s.PostsSeen == 0 {
			return // not started yet
		}
		pos, err := h.seq.position(s.Cursor)
		if err != nil {
			t.Fatalf("life %d: health cursor: %v", n, err)
		}
		wantSeen := pos - h.pos
		wantStored := h.seq.kept(pos) - h.seq.kept(h.pos)
		if int(s.PostsSeen) != wantSeen || int(s.PostsStored) != wantStored {
			t.Errorf("life %d: resumed wrong: the stored cursor is position %d, the runner is at %q (position %d) having seen %d and stored %d posts; want %d and %d",
				n, h.pos, s.Cursor, pos, s.PostsSeen, s.PostsStored, wantSeen, wantStored)
		}
		h.report.HealthChecks++
		return
	}
	t.Fatalf("life %d: /api/v1/sources has no %s", n, crashSource)
}

// checkCopy copies the crashed data directory, opens the copy and checks it (see the
// file comment); the next process starts on the original.
func (h *crashHarness) checkCopy(n, acked int) {
	t := h.t
	began := time.Now()
	defer func() {
		h.checks++
		h.checkSum += time.Since(began)
	}()
	cp := filepath.Join(h.dir, "check")
	if err := os.RemoveAll(cp); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(cp, os.DirFS(h.data)); err != nil {
		t.Fatalf("copy the crashed data directory: %v", err)
	}
	h.check(fmt.Sprintf("after kill %d", h.report.Kills), cp, acked)
	if err := os.RemoveAll(cp); err != nil {
		t.Fatal(err)
	}
}

// check opens the index in dir and verifies it holds exactly the first S ≥ acked kept
// replay posts, with matching counts, cursor and open incidents. full checks the
// presence of every one of them, not only of those added since the last check.
func (h *crashHarness) check(when, dir string, acked int) {
	t := h.t
	ctx := t.Context()
	ix, err := index.Open(dir, index.Config{})
	if err != nil {
		t.Fatalf("%s: the index does not open: %v", when, err)
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := int(st.Posts) - h.history
	if stored < acked {
		t.Errorf("%s: %d replay posts stored, but %d were acknowledged durable: %d lost", when, stored, acked, acked-stored)
	}
	if stored < h.stored {
		t.Errorf("%s: %d replay posts stored, fewer than the %d of the previous check", when, stored, h.stored)
	}
	// Presence of the whole stored prefix (cheap next to the recount) and absence of the
	// next kept post: with the count, the store holds exactly this prefix.
	for j := range stored {
		if _, err := ix.Post(ctx, h.seq.keptID(j)); err != nil {
			t.Errorf("%s: kept post #%d %s (of %d stored, %d acknowledged) is missing: %v", when, j, h.seq.keptID(j), stored, acked, err)
			break
		}
	}
	if _, err := ix.Post(ctx, h.seq.keptID(stored)); !errors.Is(err, outcry.ErrNotFound) {
		t.Errorf("%s: kept post #%d %s is stored although the stats count %d: out of order or counted wrong (%v)", when, stored, h.seq.keptID(stored), stored, err)
	}
	h.report.PostsChecked += stored + 1
	mismatches, err := ix.Recount(ctx)
	if err != nil {
		t.Fatalf("%s: recount: %v", when, err)
	}
	if len(mismatches) > 0 {
		t.Errorf("%s: counts differ from a recount of the stored posts:\n%s", when, strings.Join(mismatches, "\n"))
	} else {
		h.report.Recounts++
	}
	cursor, err := ix.Cursor(crashSource)
	if err != nil {
		t.Fatal(err)
	}
	pos, err := h.seq.position(cursor)
	if err != nil {
		t.Fatalf("%s: stored cursor: %v", when, err)
	}
	if got := h.seq.kept(pos); got != stored {
		t.Errorf("%s: the stored cursor %q is after %d kept posts, but %d are stored", when, cursor, got, stored)
	}
	open, err := ix.Incidents(ctx, index.IncidentFilter{State: outcry.StateOpen})
	if err != nil {
		t.Fatal(err)
	}
	stillOpen := map[string]bool{}
	for _, inc := range open {
		stillOpen[inc.ID] = true
	}
	for id := range h.open {
		if !stillOpen[id] {
			t.Errorf("%s: incident %s was open before and is not stored open", when, id)
		}
	}
	h.stored, h.pos = stored, pos
	h.report.Stored = stored
	h.report.Acked = max(h.report.Acked, acked)
}

// finish runs a last process, stops it with SIGINT (it must exit 0) and checks the
// data directory itself.
func (h *crashHarness) finish() {
	c := h.start(99)
	base := h.waitReady(99, c)
	began := time.Now()
	acked := max(h.scrapeUntilAck(99, c, base), h.scrapeUntil(99, c, base, began.Add(time.Second)))
	h.serving += time.Since(began)
	h.interrupt(c)
	h.check("after the clean shutdown", h.data, h.stored+acked)
}

// interrupt stops the child with SIGINT; it must exit 0 within 20 s.
func (h *crashHarness) interrupt(c *crashChild) {
	t := h.t
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.exited:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGINT:\n%s", err, c.logTail())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not exit within 20s of SIGINT:\n%s", c.logTail())
	}
}

// TestCrashQuick is the harness's short form in the normal test suite: 5 kills.
// `make reliability` runs the long form (TestCrashReliability, build tag reliability).
func TestCrashQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns and kills processes")
	}
	r := runCrashHarness(t, crashConfig{
		Kills: 5, Budget: 20 * time.Second, Rate: 300, Scale: 0.5, History: 3 * time.Hour,
		Seed: crashSeed(t), MaxLife: 1500 * time.Millisecond, Early: 0.2,
	})
	t.Log(r)
	if !t.Failed() && (r.Stored == 0 || r.Acked == 0) {
		t.Errorf("nothing was acknowledged before a kill: the run proved nothing (%v)", r)
	}
}
