package bluesky

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/outcry/outcry"
)

// benchEvents returns n distinct Jetstream post events of realistic size (~700 bytes with
// a reply ref and facets) with increasing time_us.
func benchEvents(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, `{"did":"did:plc:bench%019d","time_us":%d,"kind":"commit","commit":{"rev":"3kucz%07d2a","operation":"create","collection":"app.bsky.feed.post","rkey":"3kucz%07d2a","record":{"$type":"app.bsky.feed.post","createdAt":"2024-06-04T07:21:00.912Z","langs":["en"],"reply":{"parent":{"cid":"bafyreidc6sydkkbchcyg62v77wbhzvb2mvytlmsychqgwf2xojjtirmzj4","uri":"at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3kuch4t2vgk2a"},"root":{"cid":"bafyreidc6sydkkbchcyg62v77wbhzvb2mvytlmsychqgwf2xojjtirmzj4","uri":"at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3kuch4t2vgk2a"}},"facets":[{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"outage"}],"index":{"byteEnd":60,"byteStart":53}}],"text":"Is ChatGPT down for anyone else? post %d keeps failing #outage"},"cid":"bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq"}}`,
			i, 1717485660000000+int64(i), i, i, i)
	}
	return out
}

// BenchmarkDecodeEvent measures decoding one Jetstream post event into a Post.
func BenchmarkDecodeEvent(b *testing.B) {
	evs := benchEvents(1024)
	b.SetBytes(int64(len(evs[0])))
	b.ReportAllocs()
	now := time.Now()
	var p outcry.Post
	i := 0
	for b.Loop() {
		if _, k := decodeEvent(evs[i&1023], "bsky", now, &p); k != outPost {
			b.Fatal("not a post")
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkStream measures end-to-end decode + emit throughput from a local WebSocket
// server sending Jetstream-shaped events as fast as it can (server and client share the
// machine's cores).
func BenchmarkStream(b *testing.B) {
	evs := benchEvents(4096)
	want := make(chan int, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		n := <-want
		ctx := c.CloseRead(r.Context())
		for i := range n {
			if c.Write(ctx, websocket.MessageText, evs[i%len(evs)]) != nil {
				return
			}
		}
		<-ctx.Done()
	}))
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.URL = "ws" + strings.TrimPrefix(srv.URL, "http")
	cfg.BatchWait = time.Millisecond // so a small b.N does not measure the batch timer
	j := New(cfg)

	b.SetBytes(int64(len(evs[0])))
	b.ReportAllocs()
	b.ResetTimer()
	want <- b.N
	ctx, cancel := context.WithCancel(b.Context())
	got := 0
	err := j.Stream(ctx, "", func(_ context.Context, posts []outcry.Post, _ string) error {
		got += len(posts)
		if got >= b.N {
			cancel()
		}
		return nil
	})
	b.StopTimer()
	if err != nil || got != b.N {
		b.Fatalf("Stream = %v after %d of %d posts", err, got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// FuzzDecodeEvent checks that any message decodes without panicking and that every post it
// yields is well formed.
func FuzzDecodeEvent(f *testing.F) {
	for _, path := range []string{"testdata/jetstream.jsonl", "testdata/jetstream_malformed.jsonl", "testdata/jetstream_invalid_utf8.jsonl"} {
		for _, l := range readLines(f, path) {
			f.Add(l)
		}
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, msg []byte) {
		var p outcry.Post
		ts, k := decodeEvent(msg, "bsky", now, &p)
		if k != outMalformed && ts <= 0 {
			t.Fatalf("kind %d with time_us %d", k, ts)
		}
		if k != outPost {
			return
		}
		seen := time.UnixMicro(ts).UTC()
		switch {
		case !strings.HasPrefix(p.ID, "bsky:at://did:") || !strings.Contains(p.ID, "/app.bsky.feed.post/"):
			t.Fatalf("bad id %q", p.ID)
		case !utf8.ValidString(p.Text) || strings.TrimSpace(p.Text) == "":
			t.Fatalf("bad text %q", p.Text)
		case p.CreatedAt.IsZero() || p.CreatedAt.After(seen.Add(maxFuture)):
			t.Fatalf("created %v for time_us %v", p.CreatedAt, seen)
		case p.Lang != normLang(p.Lang):
			t.Fatalf("lang %q not normalised", p.Lang)
		case !strings.HasPrefix(p.URL, "https://bsky.app/profile/did:"):
			t.Fatalf("bad url %q", p.URL)
		}
	})
}
