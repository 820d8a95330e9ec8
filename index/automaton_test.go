package index

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

// TestCheckAutomaton: the patterns that cost vellum seconds (measured: 1–87 s of
// uninterruptible CPU each before this check) are refused with ErrInvalid, and the
// patterns people write still pass.
func TestCheckAutomaton(t *testing.T) {
	bombs := []string{
		"do.*a" + strings.Repeat(".", 56), // 5 s: 2^56 subsets, capped by vellum at 10,000 states
		"do(.{0,30}){0,30}",               // 87 s
		"do((.{0,9}){0,9}){0,9}",          // 48 s
		"do.+..{0,5}.{3}\\pN..{0,5}b",     // 5.6 s
		"do\\pL{12}",                      // 3 s: \pL is 2,700 byte ranges
		"do(\\pL|\\pN)*\\pL\\pL\\pL\\pL",  // 5 s
		"do.*\\pL.\\pL.",                  // 5 s
		"do(x*y*z*)*(.{0,40})q",           // 1.4 s
		wildcardRegexp.Replace("do*a" + strings.Repeat("?", 40)), // 3.3 s as a wildcard
		"do[a-z]{1,1000}", // too many instructions
	}
	for _, p := range bombs {
		err := checkAutomaton(p, "regexp /"+p+"/")
		if err == nil || !errors.Is(err, outcry.ErrInvalid) || !strings.Contains(err.Error(), "too complex") {
			t.Errorf("%q: %v, want a too-complex ErrInvalid", p, err)
		}
	}
	for _, p := range []string{
		"dow.+", "dow.*", "ch(at)?gpt", "do(wn|ne)", "do[a-z]{16}", "do\\w+", "do[^x]*", "do(?i)wn.*", "do\\pL", "do.{0,8}",
		"落ち.*", "do[\\p{Han}\\p{Hiragana}]+.*", "do.*a.{4}", "chatgpt[- ]?(4o|5)", "(?i)chatgpt",
		wildcardRegexp.Replace("do*"), wildcardRegexp.Replace("do?n"), wildcardRegexp.Replace("ch*gpt*"),
		wildcardRegexp.Replace("do*?*?*"),
	} {
		if err := checkAutomaton(p, p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	if err := checkAutomaton("do(", "x"); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("bad syntax: %v", err)
	}
}

// TestWildcardRegexpMatchesBleve: the wildcard translation matches what the pattern
// means (only * and ? are special).
func TestWildcardRegexpMatchesBleve(t *testing.T) {
	for _, tt := range []struct {
		wild, term string
		match      bool
	}{
		{"do*", "down", true}, {"do?n", "down", true}, {"do?n", "doon", true}, {"do?n", "don", false},
		{"a.b*", "a.bc", true}, {"a.b*", "axbc", false}, {"a+(b)", "a+(b)", true}, {"a|b", "a", false},
		{`a\b`, `a\b`, true}, {"a[b]", "a[b]", true}, {"a{2}", "a{2}", true}, {"^a$", "^a$", true},
	} {
		re := regexp.MustCompile("^(?:" + wildcardRegexp.Replace(tt.wild) + ")$")
		if got := re.MatchString(tt.term); got != tt.match {
			t.Errorf("%q vs %q: %v", tt.wild, tt.term, got)
		}
	}
}

// TestUTF8Sequences: the sequences for [lo, hi] encode exactly its scalar values.
func TestUTF8Sequences(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	matches := func(seqs [][][2]byte, c rune) int {
		enc := utf8.AppendRune(nil, c)
		n := 0
		for _, seq := range seqs {
			if len(seq) != len(enc) {
				continue
			}
			ok := true
			for i, br := range seq {
				ok = ok && br[0] <= enc[i] && enc[i] <= br[1]
			}
			if ok {
				n++
			}
		}
		return n
	}
	edges := []rune{0, 1, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff, 'a', 'z', 0x3042}
	for i := 0; i < 300; i++ {
		lo := edges[r.IntN(len(edges))]
		if i%2 == 0 {
			lo = r.Int32N(utf8.MaxRune + 1)
		}
		hi := lo + r.Int32N(utf8.MaxRune+1-lo)
		if i%3 == 0 {
			hi = min(lo+r.Int32N(300), utf8.MaxRune)
		}
		seqs := utf8Sequences(lo, hi, nil)
		probes := append([]rune{lo, hi, lo - 1, hi + 1}, edges...)
		for range 50 {
			probes = append(probes, r.Int32N(utf8.MaxRune+1))
		}
		for _, c := range probes {
			if c < 0 || c > utf8.MaxRune || c >= 0xd800 && c <= 0xdfff {
				continue
			}
			want := 0
			if lo <= c && c <= hi {
				want = 1
			}
			if got := matches(seqs, c); got != want {
				t.Fatalf("[%#x, %#x]: %#x matched by %d sequences, want %d", lo, hi, c, got, want)
			}
		}
	}
}

// BenchmarkCheckAutomaton measures the check on a typical pattern and on a bomb it
// refuses.
func BenchmarkCheckAutomaton(b *testing.B) {
	for name, p := range map[string]string{
		"typical":  "ch(at)?gpt.*",
		"wildcard": wildcardRegexp.Replace("do*" + strings.Repeat("?*", 10)),
		"bomb":     "do.*a" + strings.Repeat(".", 56),
		"unicode":  "do\\pL{12}",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = checkAutomaton(p, p)
			}
		})
	}
}
