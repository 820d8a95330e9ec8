package ingest

import "container/list"

// Dedupe remembers the most recently seen post IDs, up to a fixed number, so that items a
// feed repeats on every poll are dropped before they reach the sink. It is a bounded LRU:
// seeing an ID again refreshes it; past the bound the least recently seen ID is forgotten
// (the sink dedupes durably, so forgetting only costs a redundant write).
//
// A Dedupe is not safe for concurrent use; the runner keeps one per source.
type Dedupe struct {
	size  int
	order *list.List // front = most recent; values are string IDs
	index map[string]*list.Element
}

// NewDedupe returns a Dedupe that remembers up to size IDs; size < 1 means 1.
func NewDedupe(size int) *Dedupe {
	if size < 1 {
		size = 1
	}
	return &Dedupe{size: size, order: list.New(), index: make(map[string]*list.Element, min(size, 1<<16))}
}

// Seen reports whether id is remembered, refreshing it if so. It does not add id.
func (d *Dedupe) Seen(id string) bool {
	e, ok := d.index[id]
	if ok {
		d.order.MoveToFront(e)
	}
	return ok
}

// Add remembers id as the most recently seen one, evicting the oldest past the bound.
func (d *Dedupe) Add(id string) {
	if e, ok := d.index[id]; ok {
		d.order.MoveToFront(e)
		return
	}
	d.index[id] = d.order.PushFront(id)
	for d.order.Len() > d.size {
		last := d.order.Back()
		d.order.Remove(last)
		delete(d.index, last.Value.(string))
	}
}

// Len reports how many IDs are remembered.
func (d *Dedupe) Len() int { return d.order.Len() }
