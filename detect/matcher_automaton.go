package detect

import "fmt"

// matchAutomaton is an Aho–Corasick automaton over normalised bytes, compiled to a
// full DFA: one table lookup per input byte, no failure-link walking at match time.
// Bytes that occur in no pattern share class 0, which keeps the table narrow.
type matchAutomaton struct {
	classes [256]uint8
	nc      int
	// delta[state*nc+class] is the next state; bit 31 is set when that state (or one of
	// its dictionary suffixes) ends a pattern. delta16 holds the same table in 16 bits
	// when the automaton has at most 65,536 states, halving its cache footprint; outBits
	// then says which states end a pattern.
	delta   []uint32
	delta16 []uint16
	outBits []uint64
	out     []int32 // pattern ending exactly at the state, or -1
	dict    []int32 // next state on the suffix chain that ends a pattern, or -1
	lens    []int32 // pattern length in bytes
}

const matchHasOut = 1 << 31

// newMatchAutomaton compiles patterns (distinct, non-empty byte strings); a match of
// patterns[i] is reported as pattern ids[i] (as i when ids is nil).
func newMatchAutomaton(patterns []string, ids []int32) (*matchAutomaton, error) {
	a := &matchAutomaton{}
	// Class ids follow byte order with ASCII letters and digits first, so that the part
	// of a state's row that ordinary text touches is small and stays in cache.
	var used [256]bool
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
	}
	nc := 1
	for pass := 0; pass < 2; pass++ {
		for c := range 256 {
			if used[c] && (pass == 0) == matchIsAlnum(byte(c)) {
				if nc == 256 {
					return nil, fmt.Errorf("matcher: too many byte classes")
				}
				a.classes[c] = uint8(nc)
				nc++
			}
		}
	}
	a.nc = nc
	const none = ^uint32(0)
	newState := func() int {
		s := len(a.out)
		for range nc {
			a.delta = append(a.delta, none)
		}
		a.out = append(a.out, -1)
		return s
	}
	newState() // root
	maxID := int32(len(patterns) - 1)
	for _, id := range ids {
		maxID = max(maxID, id)
	}
	a.lens = make([]int32, maxID+1)
	for i, p := range patterns {
		id := int32(i)
		if ids != nil {
			id = ids[i]
		}
		if p == "" {
			return nil, fmt.Errorf("matcher: empty pattern")
		}
		s := 0
		for i := 0; i < len(p); i++ {
			c := int(a.classes[p[i]])
			if a.delta[s*nc+c] == none {
				a.delta[s*nc+c] = uint32(newState())
			}
			s = int(a.delta[s*nc+c])
		}
		if a.out[s] >= 0 {
			return nil, fmt.Errorf("matcher: duplicate pattern %q", p)
		}
		a.out[s] = id
		a.lens[id] = int32(len(p))
	}
	n := len(a.out)
	fail := make([]int32, n)
	a.dict = make([]int32, n)
	for i := range a.dict {
		a.dict[i] = -1
	}
	queue := make([]int32, 0, n)
	for c := range nc {
		if t := a.delta[c]; t == none {
			a.delta[c] = 0
		} else {
			fail[t] = 0
			queue = append(queue, int32(t))
		}
	}
	for len(queue) > 0 {
		u := int(queue[0])
		queue = queue[1:]
		f := int(fail[u])
		for c := range nc {
			v := a.delta[u*nc+c]
			fv := a.delta[f*nc+c] &^ matchHasOut
			if v == none {
				a.delta[u*nc+c] = fv
				continue
			}
			fail[v] = int32(fv)
			if a.out[fv] >= 0 {
				a.dict[v] = int32(fv)
			} else {
				a.dict[v] = a.dict[fv]
			}
			queue = append(queue, int32(v))
		}
	}
	// Flag transitions into states that end a pattern, so the scan loop tests one bit.
	for i, t := range a.delta {
		if a.out[t] >= 0 || a.dict[t] >= 0 {
			a.delta[i] = t | matchHasOut
		}
	}
	if n <= 1<<16 {
		// Half the table, so more of it stays in cache; whether a state ends a pattern
		// moves to a bit set.
		a.delta16 = make([]uint16, len(a.delta))
		for i, t := range a.delta {
			a.delta16[i] = uint16(t &^ matchHasOut)
		}
		a.outBits = make([]uint64, (n+63)/64)
		for q := range n {
			if a.out[q] >= 0 || a.dict[q] >= 0 {
				a.outBits[q>>6] |= 1 << (q & 63)
			}
		}
		a.delta = nil
	}
	return a, nil
}

// scanAll appends to dst every occurrence of every pattern in b, ordered by end. It
// leaves out occurrences that plainly sit inside an ASCII word ("is" in "this"), which
// is most of them, except in the spans of keep (hashtags and handles, which are split
// by tiling instead).
func (a *matchAutomaton) scanAll(b []byte, dst []matchHit, keep []matchSpan) []matchHit {
	nc := a.nc
	s := 0
	ki := 0
	inKeep := func(i int) bool {
		for ki < len(keep) && int(keep[ki].end) <= i {
			ki++
		}
		return ki < len(keep) && int(keep[ki].start) <= i
	}
	if d := a.delta16; d != nil {
		bits := a.outBits
		for i := 0; i < len(b); i++ {
			s = int(d[s*nc+int(a.classes[b[i]])])
			if bits[s>>6]&(1<<(s&63)) == 0 {
				continue
			}
			bounded := !inKeep(i)
			if bounded && i+1 < len(b) {
				// The match ends inside a word: only a longer, deeper match could stand,
				// and it ends later. Skip when letters or digits continue on both sides.
				if c, n := b[i], b[i+1]; c|n < 0x80 && matchASCIIClass[c] != clsSep && matchASCIIClass[c] == matchASCIIClass[n] {
					continue
				}
			}
			dst = a.emit(dst, s, i+1, b, bounded)
		}
		return dst
	}
	for i := 0; i < len(b); i++ {
		t := a.delta[s*nc+int(a.classes[b[i]])]
		s = int(t &^ matchHasOut)
		if t&matchHasOut == 0 {
			continue
		}
		bounded := !inKeep(i)
		if bounded && i+1 < len(b) {
			if c, n := b[i], b[i+1]; c|n < 0x80 && matchASCIIClass[c] != clsSep && matchASCIIClass[c] == matchASCIIClass[n] {
				continue
			}
		}
		dst = a.emit(dst, s, i+1, b, bounded)
	}
	return dst
}

// emit appends the patterns ending in state s at end, leaving out (when bounded) those
// whose first byte continues an ASCII word.
func (a *matchAutomaton) emit(dst []matchHit, s, end int, b []byte, bounded bool) []matchHit {
	for q := int32(s); q >= 0; q = a.dict[q] {
		if p := a.out[q]; p >= 0 {
			start := end - int(a.lens[p])
			if bounded && start > 0 {
				if c, pc := b[start], b[start-1]; c|pc < 0x80 && matchASCIIClass[c] != clsSep && matchASCIIClass[c] == matchASCIIClass[pc] {
					continue
				}
			}
			dst = append(dst, matchHit{pat: p, start: int32(start), end: int32(end)})
		}
	}
	return dst
}
