package detect

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The normalised text the matcher scans: lowercase, accents and full-width forms folded,
// every run of separators collapsed to one byte. Three separator bytes remain and carry
// meaning: ' ' between words, ',' a soft clause break (comma, dash) and '\n' a sentence
// break (. ! ? ; newline). '#' and '@' stay so hashtags and handles can be recognised.
// Patterns are normalised the same way, so "Chat-GPT", "ｃｈａｔ ｇｐｔ" and "chat gpt"
// all become "chat gpt". The text starts and ends with '\n', so every match has a
// neighbour on both sides.
type matchText struct {
	b        []byte
	upper    []uint64 // bit i: b[i] starts a letter that was uppercase in the input
	tags     []matchSpan
	colons   []int32 // separators that stand for a colon ("down right now: ChatGPT, Claude")
	accents  []int32 // bytes folded from an accented letter ("metà" is not "Meta")
	qs       []int32 // sentence separators that stand for a question mark
	tagStart int     // start of the hashtag or handle being read, -1 outside one
	nonASCII bool    // some byte of b is >= 0x80
}

// matchSpan is a half-open byte range [start, end) of the normalised text.
type matchSpan struct{ start, end int32 }

const (
	sepSpace    = ' '
	sepClause   = ','
	sepSentence = '\n'
)

// matchASCII maps ASCII bytes to their normalised byte; 0 means "separator, see
// matchASCIISep".
var matchASCII = func() (t [128]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
		t[c-'a'+'A'] = byte(c)
	}
	t['#'], t['@'] = '#', '@'
	return t
}()

// matchLowerAlnum marks the bytes that normalise to themselves: a-z and 0-9.
var matchLowerAlnum = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	return t
}()

// matchASCIISep is the separator an ASCII punctuation byte becomes.
var matchASCIISep = func() (t [128]byte) {
	for i := range t {
		t[i] = sepSpace
	}
	for _, c := range "!?;\n\r" {
		t[c] = sepSentence
	}
	t[','] = sepClause
	t['.'] = sepSentence // '.' inside a token ("claude.ai", "3.5") is handled separately
	return t
}()

// matchFold maps U+00C0..U+017F to lowercase ASCII without diacritics ("" for × and ÷).
var matchFold = [...]string{
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // U+00C0
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", // U+00D0
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // U+00E0
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y", // U+00F0
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", // U+0100
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", // U+0110
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", // U+0120
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", // U+0130
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", // U+0140
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", // U+0150
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", // U+0160
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", // U+0170

}

func (t *matchText) reset(n int) {
	t.b = slices.Grow(t.b[:0], n+2)
	w := n/64 + 2
	t.upper = slices.Grow(t.upper[:0], w)[:w]
	clear(t.upper)
	t.tags = t.tags[:0]
	t.colons = t.colons[:0]
	t.accents = t.accents[:0]
	t.qs = t.qs[:0]
	t.tagStart = -1
	t.nonASCII = false
}

// endTag closes the hashtag or handle being read, if any.
func (t *matchText) endTag() {
	if t.tagStart >= 0 {
		if end := len(t.b); end > t.tagStart {
			t.tags = append(t.tags, matchSpan{int32(t.tagStart), int32(end)})
		}
		t.tagStart = -1
	}
}

func (t *matchText) setUpper(i int) {
	w := i >> 6
	if w < len(t.upper) {
		t.upper[w] |= 1 << (uint(i) & 63)
		return
	}
	for len(t.upper) <= w {
		t.upper = append(t.upper, 0)
	}
	t.upper[w] |= 1 << (uint(i) & 63)
}

func (t *matchText) isUpper(i int) bool {
	w := i >> 6
	return w < len(t.upper) && t.upper[w]&(1<<(uint(i)&63)) != 0
}

// sep appends separator c, merging it with a separator already at the end: the
// strongest of a run wins ('\n' > ',' > ' ').
func (t *matchText) sep(c byte) {
	n := len(t.b)
	if n > 0 {
		last := t.b[n-1]
		if last == sepSpace || last == sepClause || last == sepSentence {
			if matchSepRank(c) > matchSepRank(last) {
				t.b[n-1] = c
			}
			return
		}
	}
	t.b = append(t.b, c)
}

func matchSepRank(c byte) int {
	switch c {
	case sepSentence:
		return 3
	case sepClause:
		return 2
	case sepSpace:
		return 1
	}
	return 0
}

func matchIsAlnum(c byte) bool {
	return c-'0' < 10 || (c|0x20)-'a' < 26
}

// normalize fills t from s. Invalid UTF-8 becomes a separator.
func (t *matchText) normalize(s string) {
	t.reset(len(s))
	t.b = append(t.b, sepSentence)
	endTag := t.endTag
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// Fast path: letters and digits, the bulk of any text.
			if m := matchASCII[c]; m > '@' || m >= '0' && m <= '9' {
				if c|0x20 == 'h' && matchIsSep(t.b[len(t.b)-1]) && matchIsURL(s[i:]) {
					// Links carry random slugs ("t.co/GVv524UtkR") that would read as words.
					endTag()
					for i < len(s) && s[i] != ' ' && s[i] != '\n' && s[i] != '\t' {
						i++
					}
					t.sep(sepSpace)
					continue
				}
				if c <= 'Z' && c >= 'A' {
					t.setUpper(len(t.b))
					t.b = append(t.b, m)
					i++
					continue
				}
				// Copy the run of lowercase letters and digits that starts here at once.
				j := i + 1
				for j < len(s) && matchLowerAlnum[s[j]] {
					j++
				}
				t.b = append(t.b, s[i:j]...)
				i = j
				continue
			}
		}
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				t.endTag()
				if n := len(t.b); !matchIsSep(t.b[n-1]) {
					t.b = append(t.b, sepSpace)
				}
				continue
			}
			t.ascii(c, s, i)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			endTag()
			t.sep(sepSpace)
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			t.ascii(byte(r-0xFEE0), s, i)
		case r >= 0xC0 && r <= 0x17F:
			f := matchFold[r-0xC0]
			if f == "" {
				endTag()
				t.sep(sepSpace)
				continue
			}
			if unicode.IsUpper(r) {
				t.setUpper(len(t.b))
			}
			if r != 0xDF { // ß is spelt ss, not an accent
				t.accents = append(t.accents, int32(len(t.b)))
			}
			t.b = append(t.b, f...)
		case r >= 0x300 && r <= 0x36F, r == 0x200B, r == 0x200C, r == 0x200D, r == 0x2060, r == 0xFEFF,
			r >= 0xFE00 && r <= 0xFE0F, r == 0x3099, r == 0x309A:
			// combining marks and invisible joiners: drop
		case r == 0x2018 || r == 0x2019 || r == 0x201B || r == 0x02BC || r == 0x00B4 || r == 0x2032:
			endTag()
			t.sep(sepSpace) // apostrophes
		case r >= 0x2012 && r <= 0x2015:
			endTag()
			t.sep(sepClause) // dashes used as punctuation
		case r == 0x2026 || r == 0x3002 || r == 0xFF61 || r == 0x203C || r == 0x2047 || r == 0x2048 || r == 0x2049:
			endTag()
			t.sep(sepSentence)
		case r == 0x3001 || r == 0xFF64:
			endTag()
			t.sep(sepClause) // Japanese comma
		case r == 0x3000:
			endTag()
			t.sep(sepSpace)
		case r >= 0x3041 && r <= 0x30FF && r != 0x30FB, r >= 0x4E00 && r <= 0x9FFF:
			// Kana and common kanji: letters without case, copied as they are.
			t.endTag()
			t.b = append(t.b, s[i-size:i]...)
		case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF:
			t.endTag()
			t.sep(sepSpace) // emoji and pictographs
		default:
			if unicode.In(r, unicode.Mn, unicode.Me) {
				continue // other combining marks: drop, keep the base
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r) {
				if !matchIsWordRuneLatin(r) {
					endTag() // a tag is Latin letters and digits only: "#ChatGPT障害" ends at 障
				}
				lr := unicode.ToLower(r)
				if lr != r {
					t.setUpper(len(t.b))
				}
				t.b = utf8.AppendRune(t.b, lr)
				continue
			}
			endTag()
			t.sep(sepSpace) // symbols, emoji, other punctuation
		}
	}
	endTag()
	t.sep(sepSentence)
	for _, c := range t.b {
		if c >= utf8.RuneSelf {
			t.nonASCII = true
			break
		}
	}
}

// ascii handles one ASCII byte c; next is the input offset after it.
func (t *matchText) ascii(c byte, s string, next int) {
	endTag := t.endTag
	if c >= 128 {
		return
	}
	if m := matchASCII[c]; m != 0 {
		if m == '#' || m == '@' {
			endTag()
			// A tag starts at '#' or '@' followed by a letter or digit.
			if next < len(s) && (matchIsAlnum(s[next]) || s[next] >= utf8.RuneSelf) {
				t.b = append(t.b, m)
				t.tagStart = len(t.b)
				return
			}
			t.sep(sepSpace)
			return
		}
		if c >= 'A' && c <= 'Z' {
			t.setUpper(len(t.b))
		}
		t.b = append(t.b, m)
		return
	}
	if c == '%' {
		t.endTag()
		t.b = append(t.b, '%') // kept: "down 3%" is a market move, not an outage
		return
	}
	if c == '+' {
		// A trailing plus is part of a name ("Disney+", "C++"), not a separator.
		if n := len(t.b); n > 0 && (matchIsAlnum(t.b[n-1]) || t.b[n-1] == '+') {
			endTag()
			t.b = append(t.b, '+')
			return
		}
	}
	endTag()
	switch c {
	case '.', ',', ':':
		// Inside a token ("claude.ai", "1,000", "10:30") the mark only splits words.
		n := len(t.b)
		if n > 0 && matchIsAlnum(t.b[n-1]) && next < len(s) && matchIsAlnum(s[next]) {
			t.sep(sepSpace)
			return
		}
		if c == ':' {
			t.sep(sepSpace)
			t.colons = append(t.colons, int32(len(t.b)-1))
			return
		}
	}
	t.sep(matchASCIISep[c])
	if c == '?' {
		t.qs = append(t.qs, int32(len(t.b)-1))
	}
}

// questionIn reports whether a question mark ends a sentence in [start, end).
func (t *matchText) questionIn(start, end int32) bool {
	for _, q := range t.qs {
		if q >= start && q < end {
			return true
		}
	}
	return false
}

// hangulIfAfter reports whether the Korean word a cue ends inside ends in "면" (if) or
// "도" (even if): "안 되면", "안 들어가도" describe a case, not a failure.
func (t *matchText) hangulIfAfter(i int32) bool {
	j := int(i)
	for j < len(t.b) && t.b[j] >= 0x80 && t.classAt(j) == clsHangul {
		j += matchRuneLen(t.b[j])
	}
	if j == int(i) || j-int(i) > 9 { // no ending, or a long run: another word
		return false
	}
	w := string(t.b[i:j])
	return strings.HasSuffix(w, "면") || strings.HasSuffix(w, "도")
}

// matchAuxStarts open a question without a question mark: "is github back yet or
// should i just go get lunch".
var matchAuxStarts = []string{"is", "are", "has", "have", "did", "does", "do", "anyone", "anybody", "est ce que"}

// auxQuestion reports whether the sentence holding byte i opens with a question word.
func (t *matchText) auxQuestion(i int32) bool {
	j := int(i)
	for j > 0 && t.b[j-1] != sepSentence {
		j--
	}
	for _, w := range matchAuxStarts {
		if k := j + len(w); k < len(t.b) && string(t.b[j:k]) == w && matchIsSep(t.b[k]) {
			return true
		}
	}
	return false
}

// questionAfter reports whether the sentence holding byte i ends with a question mark.
func (t *matchText) questionAfter(i int32) bool {
	if len(t.qs) == 0 {
		return false
	}
	for ; int(i) < len(t.b) && t.b[i] != sepSentence; i++ {
	}
	_, found := slices.BinarySearch(t.qs, i)
	return found
}

// accented reports whether a byte of [start, end) was folded from an accented letter.
func (t *matchText) accented(start, end int32) bool {
	for _, a := range t.accents {
		if a >= start && a < end {
			return true
		}
	}
	return false
}

// matchIsURL reports whether s starts with an http(s) URL scheme.
func matchIsURL(s string) bool {
	if len(s) < 8 {
		return false
	}
	p := strings.ToLower(s[:8])
	return strings.HasPrefix(p, "http://") || p == "https://"
}

func matchIsSep(c byte) bool { return c == sepSpace || c == sepClause || c == sepSentence }

// matchIsWordRuneLatin reports whether r continues a hashtag or handle.
func matchIsWordRuneLatin(r rune) bool {
	return r < 0x250 || unicode.In(r, unicode.Greek, unicode.Cyrillic)
}

// Character classes for word boundaries. A match must not continue a word of the same
// script on either side; a change of script (Latin to Japanese, letters to digits) is a
// boundary, which is how "ChatGPTが落ちてる" splits without spaces.
const (
	clsSep = iota
	clsLatin
	clsDigit
	clsKana // katakana and the prolonged sound mark
	clsHira
	clsHan
	clsHangul
	clsOther
)

// matchASCIIClass is matchRuneClass for ASCII bytes of normalised text.
var matchASCIIClass = func() (t [128]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clsLatin
	}
	return t
}()

func matchRuneClass(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		return int(matchASCIIClass[r])
	case r >= 0x3041 && r <= 0x309F:
		return clsHira
	case r >= 0x30A0 && r <= 0x30FF, r >= 0x31F0 && r <= 0x31FF, r >= 0xFF66 && r <= 0xFF9F:
		return clsKana
	case unicode.Is(unicode.Han, r):
		return clsHan
	case r >= 0xAC00 && r <= 0xD7A3, r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F:
		return clsHangul
	case unicode.IsDigit(r):
		return clsDigit
	case unicode.IsLetter(r):
		if r < 0x250 || unicode.In(r, unicode.Greek, unicode.Cyrillic) {
			return clsLatin
		}
		return clsOther
	}
	return clsSep
}

// classBefore returns the class of the rune ending at i; classAt of the rune at i.
func (t *matchText) classBefore(i int) int {
	if i <= 0 {
		return clsSep
	}
	if c := t.b[i-1]; c < utf8.RuneSelf {
		return int(matchASCIIClass[c])
	}
	r, _ := utf8.DecodeLastRune(t.b[:i])
	return matchRuneClass(r)
}

func (t *matchText) classAt(i int) int {
	if i >= len(t.b) {
		return clsSep
	}
	if c := t.b[i]; c < utf8.RuneSelf {
		return int(matchASCIIClass[c])
	}
	r, _ := utf8.DecodeRune(t.b[i:])
	return matchRuneClass(r)
}

// bounded reports whether [start, end) sits on word boundaries. Patterns that begin or
// end in kanji or hiragana need no boundary on that side: Japanese has no spaces. A
// pattern ending in Hangul may end inside a word: Korean adds its endings to the stem
// ("복구됐" in "복구됐어요").
func (t *matchText) bounded(start, end int) bool {
	b := t.b
	if c0, c1, p, n := b[start], b[end-1], b[start-1], b[end]; c0|c1|p|n < utf8.RuneSelf {
		// All ASCII: the common case, decided by table.
		first, last := matchASCIIClass[c0], matchASCIIClass[c1]
		return (first == clsSep || matchASCIIClass[p] != first) && (last == clsSep || matchASCIIClass[n] != last)
	}
	first, last := t.classAt(start), t.classBefore(end)
	if first != clsHan && first != clsHira && first != clsSep && t.classBefore(start) == first {
		return false
	}
	if last != clsHan && last != clsHira && last != clsHangul && last != clsSep && t.classAt(end) == last {
		return false
	}
	return true
}

// matchNormalizeString returns the normalised form of s without the sentinels, as used
// for patterns and for comparing aliases.
func matchNormalizeString(s string) string {
	var t matchText
	t.normalize(s)
	b := t.b
	for len(b) > 0 && matchIsSep(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && matchIsSep(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == '#') {
		b = b[1:]
	}
	return string(b)
}
