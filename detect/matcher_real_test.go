package detect

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// TestMatcherRealTweets runs the matcher over the 53,914 real ChatGPT tweets in
// shared/data/real (see its README) and checks that what it flags behaves like outage
// complaints: a small share of all tweets, and far denser inside the official ChatGPT
// incident windows (start - 30 min .. end) than outside them. The density is compared
// from 2023-02-14, when ChatGPT became a status-page component: before that the
// chronic "at capacity" weeks have no official record to fall inside. Outside the
// windows remain real events the status page never listed (the evening of 2023-03-30),
// so the ratio understates precision.
func TestMatcherRealTweets(t *testing.T) {
	const dir = "../../shared/data/real"
	f, err := os.Open(dir + "/posts_normalized.csv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared/data/real is absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	windows := loadIncidentWindows(t, dir+"/incidents.csv", "chatgpt", "openai")

	m := newTestMatcher(t)
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	graded := time.Date(2023, 2, 14, 0, 0, 0, 0, time.UTC)
	var posts, complaints, recoveries, in, inComplaints, gPosts, gComplaints int
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse(time.RFC3339, row[col["created_at"]])
		if err != nil {
			t.Fatalf("created_at %q: %v", row[col["created_at"]], err)
		}
		p := outcry.Post{Text: row[col["text"]], Lang: row[col["lang"]]}
		m.Match(&p)
		posts++
		inside := windows.contains(at)
		complains := p.ComplainsAbout("chatgpt")
		if complains {
			complaints++
		}
		switch {
		case inside:
			in++
			if complains {
				inComplaints++
			}
		case !at.Before(graded):
			gPosts++
			if complains {
				gComplaints++
			}
		}
		if p.RecoveryOf("chatgpt") {
			recoveries++
		}
	}
	out, outComplaints := posts-in, complaints-inComplaints
	shareIn := float64(inComplaints) / float64(max(in, 1))
	shareOut := float64(outComplaints) / float64(max(out, 1))
	shareGraded := float64(gComplaints) / float64(max(gPosts, 1))
	t.Logf("%d tweets: %d complaints about chatgpt (%.2f%%), %d recoveries", posts, complaints, 100*float64(complaints)/float64(posts), recoveries)
	t.Logf("inside incident windows: %d/%d = %.2f%%; outside: %d/%d = %.2f%% (x%.1f); outside since %s: %d/%d = %.2f%% (x%.1f)",
		inComplaints, in, 100*shareIn, outComplaints, out, 100*shareOut, shareIn/shareOut,
		graded.Format(time.DateOnly), gComplaints, gPosts, 100*shareGraded, shareIn/shareGraded)
	if posts < 50000 {
		t.Fatalf("read %d tweets, want the full file", posts)
	}
	if complaints < 120 || complaints > posts/50 {
		t.Errorf("%d complaints: outside the plausible range [120, %d]", complaints, posts/50)
	}
	if shareIn < 3*shareGraded {
		t.Errorf("complaints are only x%.1f denser inside incident windows than outside them since %s, want >= x3",
			shareIn/shareGraded, graded.Format(time.DateOnly))
	}
}

type incidentWindows [][2]time.Time

func (w incidentWindows) contains(t time.Time) bool {
	for _, iv := range w {
		if !t.Before(iv[0]) && !t.After(iv[1]) {
			return true
		}
	}
	return false
}

// loadIncidentWindows reads incidents.csv (service,start_utc,end_utc,...) for the given
// services: each incident from 30 minutes before its start (posted starts lag) to its
// end, at least 30 minutes long.
func loadIncidentWindows(t *testing.T, path string, services ...string) incidentWindows {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var w incidentWindows
	for _, row := range rows[1:] {
		keep := false
		for _, s := range services {
			keep = keep || row[0] == s
		}
		if !keep {
			continue
		}
		start, err1 := time.Parse(time.RFC3339, row[1])
		end, err2 := time.Parse(time.RFC3339, row[2])
		if err1 != nil {
			continue
		}
		if err2 != nil || end.Before(start.Add(30*time.Minute)) {
			end = start.Add(30 * time.Minute)
		}
		w = append(w, [2]time.Time{start.Add(-30 * time.Minute), end})
	}
	if len(w) == 0 {
		t.Fatalf("%s: no incidents for %v", path, services)
	}
	return w
}
