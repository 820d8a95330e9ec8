package detect

// TEMPORARY probe (to be deleted): dumps matcher output on the real tweets.

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/outcry/outcry"
)

func TestZZProbe(t *testing.T) {
	out := os.Getenv("PROBE_OUT")
	if out == "" {
		t.Skip()
	}
	f, err := os.Open("../../shared/data/real/posts_normalized.csv")
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := os.Create(out)
	defer w.Close()
	enc := json.NewEncoder(w)
	m := newTestMatcher(t)
	for _, r := range rows[1:] {
		p := outcry.Post{Text: r[7]}
		m.Match(&p)
		if len(p.Services) == 0 {
			continue
		}
		enc.Encode(map[string]any{"id": r[0], "t": r[4], "lang": r[5], "text": r[7], "s": p.Services, "c": p.Complaint, "r": p.Recovery, "a": p.Affected})
	}
}

func TestZZDebug(t *testing.T) {
	text := os.Getenv("DEBUG_TEXT")
	if text == "" {
		t.Skip()
	}
	m := newTestMatcher(t)
	sc := m.pool.Get().(*matchScratch)
	m.scan(sc, text)
	t.Logf("norm %q", sc.text.b)
	for k, it := range sc.items {
		pt := &m.pats[it.pat]
		t.Logf("item %d %q kinds=%b cue=%d str=%d sent=%d gapBefore=%+v", k, sc.text.b[it.start:it.end], pt.kinds, pt.cue, pt.str, it.sent, sc.gaps[k])
	}
	p := outcry.Post{Text: text}
	m.Match(&p)
	t.Logf("services=%v complaint=%v recovery=%v affected=%v", p.Services, p.Complaint, p.Recovery, p.Affected)
}

func TestZZLines(t *testing.T) {
	path := os.Getenv("LINES")
	if path == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(path)
	m := newTestMatcher(t)
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		p := outcry.Post{Text: line}
		m.Match(&p)
		mark := "  "
		if p.Complaint {
			mark = "C "
		} else if p.Recovery {
			mark = "R "
		}
		t.Logf("%s%v %v | %s", mark, p.Services, p.Affected, line)
	}
}
