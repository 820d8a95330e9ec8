package index

import (
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bleve runs every wildcard and regexp as a vellum automaton over UTF-8 bytes that it
// determinises in full before the search starts (up to 10,000 states, each computed
// for all 256 bytes) without looking at the context: a 40-byte pattern such as
// /do.+..{0,5}.{3}\pN..{0,5}b/ or the wildcard do*a???????????????????????????? costs
// seconds of CPU before it fails or runs (a minute for /do(.{0,30}){0,30}/), and no
// timeout stops it. checkAutomaton determinises the pattern the same way first, over
// byte classes instead of all 256 bytes and with a budget, and refuses it when the
// work vellum would do exceeds maxAutomatonWork.
const (
	// maxAutomatonInsts bounds the compiled program (Go's regexp/syntax), and
	// maxAutomatonNodes the byte-level automaton built from it, before determinising.
	maxAutomatonInsts = 512
	maxAutomatonNodes = 4000
	// maxAutomatonWork bounds vellum's work as determinise estimates it.
	maxAutomatonWork = 1_000_000
)

// wildcardRegexp is the regexp Bleve runs for a wildcard (search/query/wildcard.go):
// * and ? become .* and ., other regexp syntax is escaped.
var wildcardRegexp = strings.NewReplacer(
	"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`, "{", `\{`, "}", `\}`,
	"[", `\[`, "]", `\]`, "|", `\|`, `\`, `\\`, "*", ".*", "?", ".",
)

// checkAutomaton refuses a regexp (Perl syntax, matching whole terms as Bleve does)
// whose automaton would cost vellum more than maxAutomatonWork to build. what names
// the pattern in the error ("regexp /x/", "wildcard \"x\"").
func checkAutomaton(expr, what string) error {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return invalidf("%s: %v", what, err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return invalidf("%s: %v", what, err)
	}
	if len(prog.Inst) > maxAutomatonInsts {
		return invalidf("%s is too complex (more than %d instructions)", what, maxAutomatonInsts)
	}
	nfa, ok := newByteNFA(prog, maxAutomatonNodes)
	if !ok {
		return invalidf("%s is too complex: its character classes expand to more than %d byte ranges", what, maxAutomatonNodes)
	}
	if _, ok := nfa.determinise(maxAutomatonWork); !ok {
		return invalidf("%s is too complex: its automaton would take too long to build; use fewer wildcards, repetitions or character classes", what)
	}
	return nil
}

// byteNFA is prog over UTF-8 bytes, as vellum compiles it: node i < len(prog.Inst)
// stands for instruction i; a rune instruction leads (by epsilon) to one chain of
// byte-range nodes per UTF-8 sequence of its ranges, each chain ending at the node of
// the instruction's Out.
type byteNFA struct {
	nodes []byteNode
	start int
}

type byteNode struct {
	eps    []int // epsilon successors
	lo, hi byte  // consuming node: the byte range it accepts
	next   int   // consuming node: where it leads; -1 for other nodes
	match  bool
}

func newByteNFA(prog *syntax.Prog, limit int) (*byteNFA, bool) {
	n := &byteNFA{nodes: make([]byteNode, len(prog.Inst)), start: prog.Start}
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		nd := &n.nodes[pc]
		nd.next = -1
		var ranges [][2]rune
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			nd.eps = []int{int(in.Out), int(in.Arg)}
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			// Assertions are taken as always true, which can only add states.
			nd.eps = []int{int(in.Out)}
		case syntax.InstMatch:
			nd.match = true
		case syntax.InstRune1:
			ranges = [][2]rune{{in.Rune[0], in.Rune[0]}}
		case syntax.InstRuneAny:
			ranges = [][2]rune{{0, utf8.MaxRune}}
		case syntax.InstRuneAnyNotNL:
			ranges = [][2]rune{{0, '\n' - 1}, {'\n' + 1, utf8.MaxRune}}
		case syntax.InstRune:
			if len(in.Rune) == 1 {
				r := in.Rune[0]
				ranges = [][2]rune{{r, r}}
				if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
						ranges = append(ranges, [2]rune{f, f})
					}
				}
			}
			for j := 0; j+1 < len(in.Rune); j += 2 {
				ranges = append(ranges, [2]rune{in.Rune[j], in.Rune[j+1]})
			}
		}
		var seqs [][][2]byte
		for _, r := range ranges {
			seqs = utf8Sequences(r[0], r[1], seqs)
		}
		for _, seq := range seqs {
			head := len(n.nodes)
			for i, br := range seq {
				next := int(in.Out)
				if i+1 < len(seq) {
					next = len(n.nodes) + 1
				}
				n.nodes = append(n.nodes, byteNode{lo: br[0], hi: br[1], next: next})
			}
			n.nodes[pc].eps = append(n.nodes[pc].eps, head)
			if len(n.nodes) > limit {
				return nil, false
			}
		}
	}
	return n, true
}

// closure returns the sorted consuming and matching nodes reachable from todo by
// epsilon moves and the number of nodes it visited; seen is scratch space, all false
// on entry and on return.
func (n *byteNFA) closure(todo []int, seen []bool) ([]int, int) {
	var out, visited []int
	for len(todo) > 0 {
		i := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		visited = append(visited, i)
		nd := &n.nodes[i]
		if nd.next >= 0 || nd.match {
			out = append(out, i)
		}
		todo = append(todo, nd.eps...)
	}
	for _, i := range visited {
		seen[i] = false
	}
	slices.Sort(out)
	return out, len(visited)
}

// determinise runs the subset construction over byte classes, the way vellum does
// over all 256 bytes, and returns an estimate of vellum's work: for every state, its
// size for each of the 256 bytes plus the nodes visited to close the state each byte
// leads to. It
// stops (ok false) once that exceeds budget; its own work is a fraction of that.
func (n *byteNFA) determinise(budget int) (work int, ok bool) {
	// One representative byte per class of bytes that every range treats alike, and
	// the class's size.
	var cuts [257]bool
	cuts[0], cuts[256] = true, true
	for _, nd := range n.nodes {
		if nd.next >= 0 {
			cuts[nd.lo], cuts[int(nd.hi)+1] = true, true
		}
	}
	var reps, sizes []int
	for b := 0; b < 256; b++ {
		if cuts[b] {
			reps = append(reps, b)
			sizes = append(sizes, 1)
		} else {
			sizes[len(sizes)-1]++
		}
	}
	seen := make([]bool, len(n.nodes))
	var kb strings.Builder
	key := func(set []int) string {
		kb.Reset()
		for _, i := range set {
			kb.WriteString(strconv.Itoa(i))
			kb.WriteByte(',')
		}
		return kb.String()
	}
	type closedSet struct {
		set     []int
		key     string
		visited int
	}
	closed := map[string]closedSet{}
	start, _ := n.closure([]int{n.start}, seen)
	states := map[string]bool{key(start): true}
	queue := [][]int{start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if work += 256 * len(cur); work > budget {
			return work, false
		}
		for r, b := range reps {
			var todo []int
			for _, i := range cur {
				if nd := &n.nodes[i]; nd.next >= 0 && int(nd.lo) <= b && b <= int(nd.hi) {
					todo = append(todo, nd.next)
				}
			}
			if len(todo) == 0 {
				continue
			}
			// Many bytes lead to the same few nodes: close each set of them once.
			slices.Sort(todo)
			todo = slices.Compact(todo)
			tk := key(todo)
			c, ok := closed[tk]
			if !ok {
				c.set, c.visited = n.closure(todo, seen)
				c.key = key(c.set)
				closed[tk] = c
			}
			if work += sizes[r] * c.visited; work > budget {
				return work, false
			}
			if states[c.key] {
				continue
			}
			states[c.key] = true
			queue = append(queue, c.set)
		}
	}
	return work, true
}

// utf8Sequences appends the byte-range sequences that encode exactly the scalar
// values in [lo, hi] (surrogates excluded), splitting the range until each part is
// one sequence, as vellum's utf8 package does.
func utf8Sequences(lo, hi rune, out [][][2]byte) [][][2]byte {
	if lo > hi {
		return out
	}
	if lo <= 0xdfff && hi >= 0xd800 {
		out = utf8Sequences(lo, 0xd7ff, out)
		return utf8Sequences(0xe000, hi, out)
	}
	for _, max := range [...]rune{0x7f, 0x7ff, 0xffff} {
		if lo <= max && max < hi {
			out = utf8Sequences(lo, max, out)
			return utf8Sequences(max+1, hi, out)
		}
	}
	if hi < 0x80 {
		return append(out, [][2]byte{{byte(lo), byte(hi)}})
	}
	for i := 1; i < 4; i++ {
		m := rune(1)<<(6*i) - 1
		if lo&^m != hi&^m {
			if lo&m != 0 {
				out = utf8Sequences(lo, lo|m, out)
				return utf8Sequences(lo|m+1, hi, out)
			}
			if hi&m != m {
				out = utf8Sequences(lo, hi&^m-1, out)
				return utf8Sequences(hi&^m, hi, out)
			}
		}
	}
	a, b := utf8.AppendRune(nil, lo), utf8.AppendRune(nil, hi)
	seq := make([][2]byte, len(a))
	for i := range a {
		seq[i] = [2]byte{a[i], b[i]}
	}
	return append(out, seq)
}
