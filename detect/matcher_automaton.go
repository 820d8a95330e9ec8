package detect

import "fmt"

// matchAutomaton is an Aho–Corasick automaton over normalised bytes, compiled to a
// full DFA: one table lookup per input byte, no failure-link walking at match time.
// Bytes that occur in no pattern share class 0, which keeps the table narrow.
type matchAutomaton struct {
	classes [256]uint8
	nc      int
	// delta[state*nc+class] is the next state; bit 31 is set when that state (or one of
	// its dictionary suffixes) ends a pattern.
	delta []uint32
	out   []int32 // pattern ending exactly at the state, or -1
	dict  []int32 // next state on the suffix chain that ends a pattern, or -1
	lens  []int32 // pattern length in bytes
}

const matchHasOut = 1 << 31

// newMatchAutomaton compiles patterns (distinct, non-empty byte strings).
func newMatchAutomaton(patterns []string) (*matchAutomaton, error) {
	a := &matchAutomaton{lens: make([]int32, len(patterns))}
	nc := 1
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if a.classes[p[i]] == 0 {
				if nc == 256 {
					return nil, fmt.Errorf("matcher: too many byte classes")
				}
				a.classes[p[i]] = uint8(nc)
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
	for id, p := range patterns {
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
		a.out[s] = int32(id)
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
	return a, nil
}

// scanAll appends to dst every occurrence of every pattern in b, ordered by end.
func (a *matchAutomaton) scanAll(b []byte, dst []matchHit) []matchHit {
	nc := a.nc
	s := 0
	for i := 0; i < len(b); i++ {
		t := a.delta[s*nc+int(a.classes[b[i]])]
		s = int(t &^ matchHasOut)
		if t&matchHasOut == 0 {
			continue
		}
		for q := int32(s); q >= 0; q = a.dict[q] {
			if p := a.out[q]; p >= 0 {
				dst = append(dst, matchHit{pat: p, start: int32(i+1) - a.lens[p], end: int32(i + 1)})
			}
		}
	}
	return dst
}

// states reports the automaton's size, for tests and benchmarks.
func (a *matchAutomaton) states() int { return len(a.out) }
