package bluesky

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/coder/websocket"
)

// fakeJetstream is an in-process Jetstream: it replays its events from the requested
// cursor (time_us >= cursor, as Jetstream does) and then, unless told otherwise, keeps the
// connection open and silent until the client leaves.
type fakeJetstream struct {
	t      testing.TB
	events [][]byte
	times  []int64 // time_us of each event, 0 when unreadable

	// dropAfter > 0 closes the first connection abruptly after that many events.
	dropAfter int
	// closeNormally ends each connection with a normal close frame after the events.
	closeNormally bool
	// accept, when set, are the server's WebSocket options (e.g. compression).
	accept *websocket.AcceptOptions

	mu      sync.Mutex
	queries []map[string][]string
	headers []http.Header
}

func newFake(t testing.TB, lines ...[]byte) *fakeJetstream {
	f := &fakeJetstream{t: t}
	for _, l := range lines {
		f.add(l)
	}
	return f
}

func (f *fakeJetstream) add(line []byte) {
	var probe struct {
		TimeUS int64 `json:"time_us"`
	}
	_ = json.Unmarshal(line, &probe)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, line)
	f.times = append(f.times, probe.TimeUS)
}

func (f *fakeJetstream) requests() []map[string][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string][]string(nil), f.queries...)
}

func (f *fakeJetstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.Query())
	f.headers = append(f.headers, r.Header.Clone())
	first := len(f.queries) == 1
	// A snapshot: the test may add events while an earlier connection still lingers.
	events, times := f.events[:len(f.events):len(f.events)], f.times[:len(f.times):len(f.times)]
	f.mu.Unlock()
	c, err := websocket.Accept(w, r, f.accept)
	if err != nil {
		return
	}
	defer c.CloseNow()
	var cursor int64
	if v := r.URL.Query().Get("cursor"); v != "" {
		cursor, _ = strconv.ParseInt(v, 10, 64)
	}
	ctx := c.CloseRead(r.Context())
	sent := 0
	for i, ev := range events {
		if times[i] != 0 && times[i] < cursor {
			continue
		}
		if first && f.dropAfter > 0 && sent == f.dropAfter {
			return // CloseNow: the TCP connection goes away without a close frame
		}
		if err := c.Write(ctx, websocket.MessageText, ev); err != nil {
			return
		}
		sent++
	}
	if f.closeNormally {
		_ = c.Close(websocket.StatusNormalClosure, "bye")
		return
	}
	<-ctx.Done()
}

func readLines(t testing.TB, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	return out
}

// pipeNet is an in-memory network for tests under testing/synctest: goroutines blocked on
// net.Pipe I/O are durably blocked, which loopback sockets are not.
type pipeNet struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeNet() *pipeNet {
	return &pipeNet{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (p *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.closed:
		return nil, net.ErrClosed
	}
}

func (p *pipeNet) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}

func (p *pipeNet) Addr() net.Addr { return pipeAddr{} }

func (p *pipeNet) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case p.conns <- server:
		return client, nil
	case <-p.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// servePipe runs h on a pipe network inside the calling synctest bubble and returns dial
// options that reach it; everything is shut down by t.Cleanup.
func servePipe(t *testing.T, h http.Handler) *websocket.DialOptions {
	t.Helper()
	pn := newPipeNet()
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(pn)
	}()
	tr := &http.Transport{DialContext: pn.DialContext}
	t.Cleanup(func() {
		_ = srv.Close()
		tr.CloseIdleConnections()
		<-done
	})
	return &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}}
}
