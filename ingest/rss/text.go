package rss

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLText turns an HTML fragment (or plain text) into one line of plain text: tags
// removed, block boundaries turned into spaces, script and style content dropped,
// entities decoded, invalid UTF-8 replaced by U+FFFD and whitespace runs collapsed to
// one space. It never fails: unparseable markup degrades to its text.
func HTMLText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsAny(s, "<&") {
		return collapse(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	skip := 0 // depth inside script/style
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapse(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				switch {
				case tt == html.StartTagToken:
					skip++
				case tt == html.EndTagToken && skip > 0:
					skip--
				}
			}
			if blockTags[a] {
				b.WriteByte(' ')
			}
		}
	}
}

var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Dd: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hr: true, atom.Li: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Td: true, atom.Th: true,
	atom.Tr: true, atom.Ul: true,
}

// collapse trims s and turns every run of Unicode white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ") + "…"
}

// wordKey reduces s to its lowercase letters and digits separated by single spaces, so
// that a title and a summary repeating it compare equal despite punctuation.
func wordKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// redditTrailer is the "submitted by /u/x [link] [comments]" footer Reddit appends to
// every entry of its Atom feeds.
var redditTrailer = regexp.MustCompile(`\s*submitted by\s+/u/\S+\s*\[link\]\s*\[comments\]\s*$`)

// hnTrailer is the "Article URL: … Comments URL: … Points: n # Comments: n" block hnrss
// puts in every description.
var hnTrailer = regexp.MustCompile(`\s*(Article URL: \S+\s*)?Comments URL: \S+\s*Points: \d+\s*# Comments: \d+\s*$`)

// joinText builds a post text from a title and a body, dropping whichever repeats the
// other (Google News repeats the title as the summary; Reddit link posts have none).
func joinText(title, body string) string {
	body = redditTrailer.ReplaceAllString(body, "")
	body = hnTrailer.ReplaceAllString(body, "")
	tk, bk := wordKey(title), wordKey(body)
	switch {
	case tk == "":
		return body
	case bk == "" || bk == tk || strings.HasPrefix(tk, bk):
		return title
	case strings.HasPrefix(bk, tk):
		return body
	}
	return title + " " + body
}

// cleanUTF8 replaces invalid UTF-8 in a feed body when the document is (or claims to
// be) UTF-8, so that one bad byte does not make the whole feed unparseable. Documents
// that declare another encoding are left to the parser's charset handling.
func cleanUTF8(body []byte) []byte {
	if utf8.Valid(body) {
		return body
	}
	head := body[:min(len(body), 200)]
	if i := bytes.Index(head, []byte("?>")); bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff \t\r\n"), []byte("<?xml")) && i > 0 {
		decl := bytes.ToLower(head[:i])
		if j := bytes.Index(decl, []byte("encoding")); j >= 0 {
			enc := decl[j+len("encoding"):]
			enc = bytes.Trim(enc, " =\"'")
			if k := bytes.IndexAny(enc, "\"' "); k >= 0 {
				enc = enc[:k]
			}
			if len(enc) > 0 && !bytes.Equal(enc, []byte("utf-8")) && !bytes.Equal(enc, []byte("utf8")) {
				return body
			}
		}
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}
