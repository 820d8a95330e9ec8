package ingest

import (
	"fmt"
	"testing"
)

func TestDedupeLRU(t *testing.T) {
	d := NewDedupe(3)
	for _, id := range []string{"a", "b", "c"} {
		if d.Seen(id) {
			t.Fatalf("%s seen before added", id)
		}
		d.Add(id)
	}
	if !d.Seen("a") { // refreshes a: b is now the oldest
		t.Fatal("a forgotten")
	}
	d.Add("d")
	if d.Seen("b") {
		t.Error("b should have been evicted as least recently seen")
	}
	for _, id := range []string{"a", "c", "d"} {
		if !d.Seen(id) {
			t.Errorf("%s forgotten", id)
		}
	}
	if d.Len() != 3 {
		t.Errorf("Len = %d, want 3", d.Len())
	}
	d.Add("d") // re-adding does not grow
	if d.Len() != 3 {
		t.Errorf("Len after re-add = %d, want 3", d.Len())
	}
}

func TestDedupeBounded(t *testing.T) {
	d := NewDedupe(100)
	for i := range 10000 {
		d.Add(fmt.Sprint(i))
	}
	if d.Len() != 100 {
		t.Fatalf("Len = %d, want 100", d.Len())
	}
	if !d.Seen("9999") || d.Seen("9899") {
		t.Error("wrong IDs kept")
	}
	if NewDedupe(0).size != 1 {
		t.Error("size 0 not clamped to 1")
	}
}

func BenchmarkDedupe(b *testing.B) {
	d := NewDedupe(10000)
	ids := make([]string, 50000)
	for i := range ids {
		ids[i] = fmt.Sprintf("bsky:at://did:plc:%d/app.bsky.feed.post/%d", i%997, i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		id := ids[i%len(ids)]
		if !d.Seen(id) {
			d.Add(id)
		}
	}
}
