package detect

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/outcry/outcry"
)

func TestZZExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	f, err := os.Open("../../shared/data/real/posts_normalized.csv")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := newTestMatcher(t)
	out, _ := os.Create("/tmp/mdebug/flagged.tsv")
	defer out.Close()
	n := 0
	for _, row := range rows[1:] {
		p := outcry.Post{Text: row[7], Lang: row[5]}
		m.Match(&p)
		kind := "-"
		if p.Complaint {
			kind = "C"
			n++
		} else if p.Recovery {
			kind = "R"
		}
		b, _ := json.Marshal(map[string]any{"kind": kind, "t": row[4], "id": row[0], "text": row[7], "aff": p.Affected, "svc": p.Services})
		out.Write(append(b, '\n'))
	}
	t.Logf("complaints %d of %d", n, len(rows)-1)
}

func (m *Matcher) explain(text string) string {
	sc := m.pool.Get().(*matchScratch)
	defer func() {
		for _, s := range sc.touched {
			sc.svcs[s] = matchSvc{}
		}
		sc.touched = sc.touched[:0]
		m.pool.Put(sc)
	}()
	m.scan(sc, text)
	var out []string
	for _, it := range sc.items {
		pt := &m.pats[it.pat]
		if pt.kinds&kCue != 0 {
			out = append(out, fmt.Sprintf("%s/%d", sc.text.b[it.start:it.end], pt.cue))
		}
	}
	return fmt.Sprint(out)
}

func TestZZExplain(t *testing.T) {
	if os.Getenv("EXPLAIN") == "" {
		t.Skip()
	}
	m := newTestMatcher(t)
	f, err := os.Open("../../shared/data/real/posts_normalized.csv")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, _ := r.ReadAll()
	out, _ := os.Create("/tmp/mdebug/cues.tsv")
	defer out.Close()
	for _, row := range rows[1:] {
		p := outcry.Post{Text: row[7]}
		m.Match(&p)
		if p.Complaint || p.Recovery {
			fmt.Fprintf(out, "%v\t%v\t%s\t%q\n", p.Complaint, p.Affected, m.explain(row[7]), row[7])
		}
	}
}
