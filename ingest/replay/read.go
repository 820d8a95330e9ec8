package replay

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// MaxLine is the longest line (JSONL) or record (CSV) ReadPosts accepts; longer ones are
// reported as bad rows and skipped.
const MaxLine = 1 << 20

// ReadPosts reads posts from r, sniffing the format: JSON Lines when the first
// non-blank byte (after an optional BOM) is '{', CSV with a header row otherwise. name
// labels errors (usually the file name).
//
// JSONL rows are objects with id, source, author, text, lang, url, created_at (RFC 3339)
// and optionally simulated; other fields are ignored. CSV headers name those columns in
// any case and order (created_at and text are required; common aliases such as
// "Created at", "Date Created", "Content", "Username", "Tweet ID" are understood);
// unknown columns are ignored and quoted fields may span lines.
//
// fn is called once per row in file order with the row's first line number. A bad row
// (malformed JSON or CSV, missing text or created_at, unparseable time, line over
// MaxLine) gets a zero Post and an error wrapping outcry.ErrInvalid that names the file,
// line and problem; reading goes on. A row without id gets a stable one: source + ":sha1:"
// + a hash of source, author, created_at and text ("sha1:..." without source). Times are
// returned in UTC; strings keep their content, with invalid UTF-8 replaced by U+FFFD.
//
// ReadPosts returns the first error fn returns, an I/O error, or (wrapping
// outcry.ErrInvalid) a CSV header that lacks a required column.
func ReadPosts(r io.Reader, name string, fn func(line int, p outcry.Post, err error) error) error {
	return Read(r, name, Options{}, fn)
}

// Options relax ReadPosts for readers that only classify posts (`outcry match`).
type Options struct {
	// TimeOptional accepts rows without created_at: their CreatedAt is zero. A
	// created_at that is present must still parse.
	TimeOptional bool
	// Text reads every non-blank line as the text of one post (no JSON, no CSV); ids are
	// hashes of the text.
	Text bool
}

// Read is ReadPosts with options.
func Read(r io.Reader, name string, opt Options, fn func(line int, p outcry.Post, err error) error) error {
	lr := &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
	if b, err := lr.br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		lr.br.Discard(3)
	}
	first, err := lr.peekNonSpace()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	switch {
	case opt.Text:
		return readText(lr, name, fn)
	case first == '{':
		return readJSONL(lr, name, opt, fn)
	}
	return readCSV(lr, name, opt, fn)
}

// lineReader yields physical lines up to MaxLine bytes, numbering them from 1.
type lineReader struct {
	br   *bufio.Reader
	line int
	// pushed holds lines given back by the CSV reader, replayed before reading on.
	pushed []pushedLine
}

type pushedLine struct {
	text string
	no   int
}

func (lr *lineReader) peekNonSpace() (byte, error) {
	for n := 1; ; n++ {
		b, err := lr.br.Peek(n)
		if len(b) < n {
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
			if n >= lr.br.Size() {
				return c, nil
			}
		default:
			return c, nil
		}
	}
}

// next returns the next line without its line ending. tooLong reports a line over
// MaxLine, of which nothing is returned. err is io.EOF after the last line.
func (lr *lineReader) next() (text string, no int, tooLong bool, err error) {
	if n := len(lr.pushed); n > 0 {
		p := lr.pushed[n-1]
		lr.pushed = lr.pushed[:n-1]
		return p.text, p.no, false, nil
	}
	var buf []byte
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLine+2 { // +2 for "\r\n"
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (err != io.EOF || (len(buf) == 0 && !tooLong && len(chunk) == 0)) {
			return "", 0, false, err
		}
		lr.line++
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if len(buf) > MaxLine {
			tooLong, buf = true, nil
		}
		return string(buf), lr.line, tooLong, nil
	}
}

// push gives lines back, to be returned by next in order.
func (lr *lineReader) push(lines []pushedLine) {
	for i := len(lines) - 1; i >= 0; i-- {
		lr.pushed = append(lr.pushed, lines[i])
	}
}

func invalid(name string, line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %w", name, line, fmt.Sprintf(format, args...), outcry.ErrInvalid)
}

// jsonRow is a JSONL row; id may be a string or a number, created_at a string or a Unix
// time in seconds or milliseconds.
type jsonRow struct {
	ID        json.RawMessage `json:"id"`
	Source    string          `json:"source"`
	Author    string          `json:"author"`
	Text      *string         `json:"text"`
	Lang      string          `json:"lang"`
	URL       string          `json:"url"`
	CreatedAt json.RawMessage `json:"created_at"`
	Simulated bool            `json:"simulated"`
}

// readText reads one post per non-blank line, the line being its text.
func readText(lr *lineReader, name string, fn func(int, outcry.Post, error) error) error {
	return readLines(lr, name, fn, func(no int, text string) (outcry.Post, error) {
		return makePost(name, no, "", "", "", text, "", "", "", false, Options{TimeOptional: true})
	})
}

func readJSONL(lr *lineReader, name string, opt Options, fn func(int, outcry.Post, error) error) error {
	return readLines(lr, name, fn, func(no int, text string) (outcry.Post, error) {
		return jsonPost(name, no, text, opt)
	})
}

// readLines calls parse on every non-blank line and fn with its result; a line over
// MaxLine is a bad row.
func readLines(lr *lineReader, name string, fn func(int, outcry.Post, error) error, parse func(no int, text string) (outcry.Post, error)) error {
	for {
		text, no, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if tooLong {
			if err := fn(no, outcry.Post{}, invalid(name, no, "line longer than %d bytes", MaxLine)); err != nil {
				return err
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		p, rerr := parse(no, text)
		if err := fn(no, p, rerr); err != nil {
			return err
		}
	}
}

func jsonPost(name string, no int, text string, opt Options) (outcry.Post, error) {
	var row jsonRow
	if err := json.Unmarshal([]byte(text), &row); err != nil {
		return outcry.Post{}, invalid(name, no, "bad JSON: %v", err)
	}
	var created string
	switch {
	case len(row.CreatedAt) == 0 || string(row.CreatedAt) == "null":
	case row.CreatedAt[0] == '"':
		if err := json.Unmarshal(row.CreatedAt, &created); err != nil {
			return outcry.Post{}, invalid(name, no, "bad created_at: %v", err)
		}
	default:
		created = string(row.CreatedAt) // a number: Unix seconds or milliseconds
	}
	var id string
	switch {
	case len(row.ID) == 0 || string(row.ID) == "null":
	case row.ID[0] == '"':
		if err := json.Unmarshal(row.ID, &id); err != nil {
			return outcry.Post{}, invalid(name, no, "bad id: %v", err)
		}
	case row.ID[0] >= '0' && row.ID[0] <= '9' || row.ID[0] == '-':
		id = string(row.ID)
	default:
		return outcry.Post{}, invalid(name, no, "bad id: want a string or a number")
	}
	txt := ""
	if row.Text != nil {
		txt = *row.Text
	}
	return makePost(name, no, id, row.Source, row.Author, txt, row.Lang, row.URL, created, row.Simulated, opt)
}

// makePost validates one row's fields and builds the post.
func makePost(name string, no int, id, source, author, text, lang, url, created string, simulated bool, opt Options) (outcry.Post, error) {
	if strings.TrimSpace(text) == "" {
		return outcry.Post{}, invalid(name, no, "missing text")
	}
	var at time.Time
	switch {
	case strings.TrimSpace(created) == "":
		if !opt.TimeOptional {
			return outcry.Post{}, invalid(name, no, "missing created_at")
		}
	default:
		var ok bool
		if at, ok = parseTime(created); !ok {
			return outcry.Post{}, invalid(name, no, "bad created_at %q", truncateForError(created))
		}
	}
	clean := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	p := outcry.Post{
		ID:        clean(id),
		Source:    clean(source),
		Author:    clean(author),
		Text:      clean(text),
		Lang:      clean(lang),
		URL:       clean(url),
		CreatedAt: at,
		Simulated: simulated,
	}
	if p.ID == "" {
		p.ID = HashID(p.Source, p.Author, p.Text, p.CreatedAt)
	}
	return p, nil
}

// HashID is the stable id of a post that came without one: source + ":sha1:" + the hex
// SHA-1 of source, author, created_at (RFC 3339, UTC) and text ("sha1:..." when source
// is empty). Re-importing the same row yields the same id, so it is stored once.
func HashID(source, author, text string, createdAt time.Time) string {
	h := sha1.New()
	for _, s := range []string{source, author, createdAt.UTC().Format(time.RFC3339Nano), text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	id := "sha1:" + hex.EncodeToString(h.Sum(nil))
	if source != "" {
		id = source + ":" + id
	}
	return id
}

func truncateForError(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > 40 {
		r := []rune(s)
		if len(r) > 40 {
			return string(r[:40]) + "…"
		}
	}
	return s
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RubyDate, // Twitter v1.1: "Mon Jan 02 15:04:05 -0700 2006"
	time.RFC1123Z,
	time.RFC1123,
}

// parseTime reads a created_at: RFC 3339 and the other common layouts above (no zone
// means UTC), or a Unix time in seconds or milliseconds. The result is UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		switch {
		case len(s) >= 9 && len(s) <= 11:
			return time.Unix(n, 0).UTC(), true
		case len(s) >= 12 && len(s) <= 14:
			return time.UnixMilli(n).UTC(), true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1e8 && f < 1e11 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC().Round(time.Microsecond), true
	}
	return time.Time{}, false
}

// Columns and the header names that map to them (after lowercasing and turning spaces
// and dashes into underscores). The first name is the canonical one, preferred when a
// header has several.
var columns = map[string][]string{
	"id":         {"id", "post_id", "tweet_id", "status_id"},
	"source":     {"source"},
	"author":     {"author", "username", "user", "user_name", "screen_name", "handle"},
	"text":       {"text", "content", "body", "full_text", "tweet", "message"},
	"lang":       {"lang", "language"},
	"url":        {"url", "link", "permalink"},
	"created_at": {"created_at", "createdat", "date_created", "created", "datetime", "timestamp", "date", "time"},
	"simulated":  {"simulated"},
}

func headerIndex(header []string) map[string]int {
	norm := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		norm[i] = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
	}
	idx := map[string]int{}
	for col, names := range columns {
		for _, n := range names {
			if i := indexOf(norm, n); i >= 0 {
				idx[col] = i
				break
			}
		}
	}
	return idx
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// maxRecordLines bounds how many physical lines one quoted CSV record may span before it
// is treated as an unterminated quote.
const maxRecordLines = 1000

func readCSV(lr *lineReader, name string, opt Options, fn func(int, outcry.Post, error) error) error {
	var idx map[string]int
	cp := newCSVParser()
	for {
		rec, no, err := cp.next(lr, name)
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, outcry.ErrInvalid) {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if idx == nil {
			if err != nil {
				return err
			}
			idx = headerIndex(rec)
			for _, col := range []string{"created_at", "text"} {
				if _, ok := idx[col]; !ok && (col == "text" || !opt.TimeOptional) {
					return invalid(name, no, "CSV header has no %s column (header: %s)", col, truncateForError(strings.Join(rec, ",")))
				}
			}
			continue
		}
		if err != nil {
			if ferr := fn(no, outcry.Post{}, err); ferr != nil {
				return ferr
			}
			continue
		}
		get := func(col string) string {
			if i, ok := idx[col]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		sim, _ := strconv.ParseBool(strings.TrimSpace(get("simulated")))
		p, perr := makePost(name, no, get("id"), get("source"), get("author"), get("text"), get("lang"), get("url"), get("created_at"), sim, opt)
		if ferr := fn(no, p, perr); ferr != nil {
			return ferr
		}
	}
}

// nextCSVRecord reads the next non-blank CSV record, which may span lines inside quotes,
// and returns its fields and first line number. A bad record (unterminated or misplaced
// quote, over MaxLine) returns an error wrapping outcry.ErrInvalid; the lines after its
// first are given back so that one stray quote costs one row, not the rest of the file.
func (cp *csvParser) next(lr *lineReader, name string) ([]string, int, error) {
	var lines []pushedLine
	size := 0
	inQuotes := false
	for {
		text, no, tooLong, err := lr.next()
		if err == io.EOF && len(lines) > 0 {
			break // unterminated quote at end of file
		}
		if err != nil {
			return nil, 0, err
		}
		if tooLong {
			if len(lines) > 0 {
				lr.push(lines[1:])
				return nil, lines[0].no, invalid(name, lines[0].no, "unterminated quoted field")
			}
			return nil, no, invalid(name, no, "line longer than %d bytes", MaxLine)
		}
		if len(lines) == 0 && strings.TrimSpace(text) == "" {
			continue
		}
		lines = append(lines, pushedLine{text, no})
		size += len(text) + 1
		inQuotes = scanQuotes(text, inQuotes)
		if !inQuotes {
			return cp.parse(lr, name, lines)
		}
		if size > MaxLine || len(lines) >= maxRecordLines {
			break
		}
	}
	lr.push(lines[1:])
	return nil, lines[0].no, invalid(name, lines[0].no, "unterminated quoted field")
}

// csvParser parses one logical record at a time with a reused encoding/csv reader.
type csvParser struct {
	src *strings.Reader
	buf *bufio.Reader
	r   *csv.Reader
}

func newCSVParser() *csvParser {
	cp := &csvParser{src: strings.NewReader("")}
	cp.buf = bufio.NewReader(cp.src)
	cp.r = csv.NewReader(cp.buf) // uses cp.buf as is: it is already a *bufio.Reader
	cp.r.FieldsPerRecord = -1
	cp.r.LazyQuotes = true
	cp.r.ReuseRecord = true
	return cp
}

// parse reads the record made of lines; the returned slice is valid until the next call.
func (cp *csvParser) parse(lr *lineReader, name string, lines []pushedLine) ([]string, int, error) {
	text := lines[0].text
	if len(lines) > 1 {
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l.text)
		}
		text = b.String()
	}
	cp.src.Reset(text)
	cp.buf.Reset(cp.src)
	rec, err := cp.r.Read()
	if err != nil {
		var pe *csv.ParseError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		lr.push(lines[1:])
		return nil, lines[0].no, invalid(name, lines[0].no, "bad CSV: %s", msg)
	}
	return rec, lines[0].no, nil
}

// scanQuotes reports whether a CSV line leaves a quoted field open, given whether it
// started inside one. A quote opens a field only at the field's start (RFC 4180; quotes
// inside unquoted fields are literal) and "" inside a quoted field is an escaped quote.
func scanQuotes(line string, inQuotes bool) bool {
	fieldStart := !inQuotes
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQuotes:
			if c == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
		case c == ',':
			fieldStart = true
			continue
		case c == '"' && fieldStart:
			inQuotes = true
		}
		fieldStart = false
	}
	return inQuotes
}
