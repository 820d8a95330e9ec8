package main

import (
	"os"
	"testing"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
)

func TestZZCrashDebug(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	ctx := t.Context()
	ix, err := openIndex(dir, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cat := detect.DefaultCatalog()
	mcfg := detect.DefaultMonitorConfig()
	mcfg.Services = cat.IDs()
	m := detect.NewMonitor(mcfg, detect.MonitorDeps{Store: ix, Summarizer: ix, Incidents: ix, Official: ix}, nil)
	if os.Getenv("ZZSEED") != "" {
		m.Restore(ctx, nil, time.Time{})
		m.Advance(ctx, time.Now().Add(mcfg.Lag))
	} else {
		open, _ := ix.Incidents(ctx, index.IncidentFilter{State: outcry.StateOpen})
		t.Logf("restoring %d", len(open))
		m.Restore(ctx, open, time.Time{})
	}
	all, _ := ix.Incidents(ctx, index.IncidentFilter{})
	for _, inc := range all {
		t.Logf("%s %s %v %v", inc.ID, inc.State, inc.Start, inc.End)
	}
}
