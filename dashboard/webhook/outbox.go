package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"github.com/outcry/outcry"
)

// Outbox keeps undelivered alerts across restarts: deliveries queued or retrying when
// the process stops (or dies) are sent on the next start, under the same delivery id, so
// a receiver that saw one before can drop the repeat. Load returns what Save last
// stored, nil when nothing; Save stores data durably, and an empty data clears it.
type Outbox interface {
	Load(ctx context.Context) ([]byte, error)
	Save(ctx context.Context, data []byte) error
}

// pendingEntry is one undelivered delivery as the outbox stores it. Hook is a hash of
// the hook's URL and format, so the URL (which may hold a token) is not stored.
type pendingEntry struct {
	Hook     string          `json:"hook"`
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Incident outcry.Incident `json:"incident"`
	Event    *outcry.Event   `json:"event,omitempty"`
	Queued   time.Time       `json:"queued"`
	seq      uint64          // order of queueing, for a stable file
}

// outboxSaveTimeout bounds one Save.
const outboxSaveTimeout = 10 * time.Second

func hookKey(h Hook) string {
	sum := sha256.Sum256([]byte(h.Format + " " + h.URL))
	return hex.EncodeToString(sum[:8])
}

func pendingKey(h *hookState, id string) string { return h.key + "|" + id }

// addPending records a queued delivery and wakes the saver.
func (d *Dispatcher) addPending(h *hookState, del delivery) {
	if d.cfg.Outbox == nil {
		return
	}
	d.pmu.Lock()
	d.seq++
	queued := del.queued
	if queued.IsZero() {
		queued = d.cfg.Clock().UTC()
	}
	d.pending[pendingKey(h, del.id)] = pendingEntry{Hook: h.key, ID: del.id, Kind: del.kind, Incident: del.inc, Event: del.ev, Queued: queued, seq: d.seq}
	d.pmu.Unlock()
	d.kickSaver()
}

// donePending forgets a delivery that succeeded or failed for good.
func (d *Dispatcher) donePending(h *hookState, del delivery) {
	if d.cfg.Outbox == nil {
		return
	}
	d.pmu.Lock()
	delete(d.pending, pendingKey(h, del.id))
	d.pmu.Unlock()
	d.kickSaver()
}

func (d *Dispatcher) kickSaver() {
	select {
	case d.saveKick <- struct{}{}:
	default:
	}
}

// saveOutbox writes the pending deliveries, oldest first.
func (d *Dispatcher) saveOutbox() error {
	d.pmu.Lock()
	entries := make([]pendingEntry, 0, len(d.pending))
	for _, e := range d.pending {
		entries = append(entries, e)
	}
	d.pmu.Unlock()
	slices.SortFunc(entries, func(a, b pendingEntry) int {
		if c := a.Queued.Compare(b.Queued); c != 0 {
			return c
		}
		return int(a.seq) - int(b.seq)
	})
	var data []byte
	if len(entries) > 0 {
		var err error
		if data, err = json.Marshal(entries); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), outboxSaveTimeout)
	defer cancel()
	return d.cfg.Outbox.Save(ctx, data)
}

// restoreOutbox queues what the outbox holds for hooks that still exist.
func (d *Dispatcher) restoreOutbox(ctx context.Context) {
	data, err := d.cfg.Outbox.Load(ctx)
	if err != nil {
		d.log.Error("webhook: cannot read the outbox; undelivered alerts of the last run are lost", "err", err)
		return
	}
	if len(data) == 0 {
		return
	}
	var entries []pendingEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		d.log.Error("webhook: outbox unreadable; undelivered alerts of the last run are lost", "err", err)
		return
	}
	byKey := map[string]*hookState{}
	for _, h := range d.hooks {
		byKey[h.key] = h
	}
	restored, orphaned, stale := 0, 0, 0
	now := d.cfg.Clock()
	for _, e := range entries {
		h, ok := byKey[e.Hook]
		if !ok {
			orphaned++ // the hook was removed or changed in the config
			continue
		}
		if now.Sub(e.Queued) > d.cfg.OutboxMaxAge {
			stale++
			continue
		}
		del := delivery{id: e.ID, kind: e.Kind, inc: e.Incident, ev: e.Event, queued: e.Queued}
		select {
		case h.queue <- del:
			d.addPending(h, del)
			d.stats.queued.Add(1)
			d.stats.inflight.Add(1)
			restored++
		default:
			orphaned++
		}
	}
	d.log.Info("webhook: undelivered alerts of the last run queued again", "alerts", restored, "dropped", orphaned, "too_old", stale)
	if orphaned+stale > 0 {
		d.stats.dropped.Add(int64(orphaned + stale))
		d.kickSaver()
	}
}
