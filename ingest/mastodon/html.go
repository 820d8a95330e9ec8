package mastodon

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// htmlText turns a status's HTML content into plain text: tags are dropped, line and
// paragraph breaks become spaces, entities are decoded, runs of white space collapse to
// one space, and the result is valid UTF-8 with no leading or trailing space. The text
// of script and style elements is dropped. Mastodon's link markup
// (<span class="invisible">https://</span>...) is kept as text, so links read in full.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(html.UnescapeString(s[i : i+j]))
			i += j
			continue
		}
		name, end, ok := scanTag(s, i)
		if !ok {
			// A lone '<' is text ("a < b" from a lax server).
			b.WriteByte('<')
			i++
			continue
		}
		i = end
		switch name {
		case "script", "style":
			i = skipElement(s, i, name)
			b.WriteByte(' ')
		case "br", "p", "/p", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol",
			"blockquote", "/blockquote", "pre", "/pre", "h1", "/h1", "h2", "/h2", "h3", "/h3",
			"h4", "/h4", "h5", "/h5", "h6", "/h6", "hr", "tr", "/tr", "td", "/td":
			b.WriteByte(' ')
		}
	}
	return collapse(b.String())
}

// scanTag reads the markup starting at s[i] == '<' and returns the lowercase tag name
// ("p", "/p", "br", or "" for comments and declarations) and the index after it. ok is
// false when s[i] does not start markup.
func scanTag(s string, i int) (name string, end int, ok bool) {
	rest := s[i+1:]
	if strings.HasPrefix(rest, "!--") {
		k := strings.Index(rest[3:], "-->")
		if k < 0 {
			return "", len(s), true
		}
		return "", i + 1 + 3 + k + 3, true
	}
	if rest == "" {
		return "", 0, false
	}
	c := rest[0]
	switch {
	case c == '/':
		if len(rest) < 2 || !isLetter(rest[1]) {
			return "", 0, false
		}
	case c == '!' || c == '?':
		if len(rest) < 2 {
			return "", 0, false
		}
	case isLetter(c):
	default:
		return "", 0, false
	}
	// Find the closing '>' outside quoted attribute values.
	var quote byte
	k := 1
	for ; k < len(rest); k++ {
		ch := rest[k]
		if quote != 0 {
			if ch == quote {
				quote = 0
			}
			continue
		}
		if ch == '"' || ch == '\'' {
			quote = ch
		} else if ch == '>' {
			break
		}
	}
	if k >= len(rest) {
		// Unterminated markup: drop the rest rather than print half a tag.
		return "", len(s), true
	}
	n := 0
	if c == '/' {
		n = 1
	}
	for n < k && (isLetter(rest[n]) || (n > 0 && rest[n] >= '0' && rest[n] <= '9')) {
		n++
	}
	if c == '!' || c == '?' {
		return "", i + 1 + k + 1, true
	}
	return strings.ToLower(rest[:n]), i + 1 + k + 1, true
}

// skipElement returns the index after the closing tag of a raw-text element opened just
// before i, or len(s) when it is never closed.
func skipElement(s string, i int, name string) int {
	lower := strings.ToLower(s[i:])
	k := strings.Index(lower, "</"+name)
	if k < 0 {
		return len(s)
	}
	j := strings.IndexByte(s[i+k:], '>')
	if j < 0 {
		return len(s)
	}
	return i + k + j + 1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// collapse makes s valid UTF-8 and joins its words with single spaces.
func collapse(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == 0 {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == utf8.RuneError {
			b.WriteString("\uFFFD")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
