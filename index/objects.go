package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/outcry/outcry"
)

// Fields of the object documents (incidents, events, official incidents).
const (
	fieldObjService = "obj_service"
	fieldObjState   = "obj_state"
	fieldObjStart   = "obj_start"
	fieldObjEnd     = "obj_end"
)

// maxObjects bounds one listing of incidents, events or official incidents.
const maxObjects = 10_000

func objectID(kind, id string) string { return internalPrefix + kind + "/" + id }

// objectDocument builds a stored object: its JSON, kind, and the fields listings
// filter and sort on. end zero means open (stored as the far future).
func objectDocument(kind, id, service, state string, start, end time.Time, v any) (*document.Document, error) {
	if id == "" {
		return nil, invalidf("%s without id", kind)
	}
	if start.Before(minPostTime) || !start.Before(maxPostTime) {
		return nil, invalidf("%s %q: start %s out of range", kind, id, start.Format(time.RFC3339))
	}
	if end.IsZero() || !end.Before(maxPostTime) {
		end = maxPostTime
	}
	if end.Before(start) {
		end = start
	}
	blob, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("index: encode %s %q: %w", kind, id, err)
	}
	d := document.NewDocument(objectID(kind, id))
	d.AddField(document.NewTextFieldCustom(fieldKind, nil, []byte(kind), optKeyword, nil))
	if service != "" {
		d.AddField(document.NewTextFieldCustom(fieldObjService, nil, []byte(service), optKeyword, nil))
	}
	if state != "" {
		d.AddField(document.NewTextFieldCustom(fieldObjState, nil, []byte(state), optKeyword, nil))
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{fieldObjStart, start}, {fieldObjEnd, end}} {
		df, err := document.NewDateTimeFieldWithIndexingOptions(f.name, nil, f.t, time.RFC3339Nano, optDate)
		if err != nil {
			return nil, invalidf("%s %q: %v", kind, id, err)
		}
		d.AddField(df)
	}
	d.AddField(document.NewTextFieldCustom(fieldBlob, nil, blob, optStored, nil))
	return d, nil
}

// writeDocs writes docs (and cursors, when given) in one durable batch.
func (ix *Index) writeDocs(ctx context.Context, docs []*document.Document, cursors map[string]string) error {
	if err := ix.lockWrite(ctx); err != nil {
		return err
	}
	defer ix.unlockWrite()
	batch := ix.bleve().NewBatch()
	for _, d := range docs {
		if err := batch.IndexAdvanced(d); err != nil {
			return fmt.Errorf("index: batch: %w", err)
		}
	}
	merged := ix.cursors
	if len(cursors) > 0 {
		merged = maps.Clone(ix.cursors)
		maps.Copy(merged, cursors)
		cv, err := json.Marshal(merged)
		if err != nil {
			return fmt.Errorf("index: encode cursors: %w", err)
		}
		batch.SetInternal(keyCursors, cv)
	}
	if batch.Size() == 0 {
		return nil
	}
	if err := ix.write(batch); err != nil {
		return fmt.Errorf("index: write %d documents: %w", len(docs), err)
	}
	ix.durableMu.Lock()
	ix.cursors = merged
	ix.durableMu.Unlock()
	return nil
}

// listObjects returns the JSON of the objects of kind matching filters, newest
// start first, at most limit (0: maxObjects).
func (ix *Index) listObjects(ctx context.Context, kind string, filters []query.Query, limit int) ([][]byte, error) {
	if err := ix.checkOpen(); err != nil {
		return nil, err
	}
	if limit < 0 {
		return nil, invalidf("negative limit %d", limit)
	}
	if limit == 0 || limit > maxObjects {
		limit = maxObjects
	}
	q := query.NewConjunctionQuery(append([]query.Query{termQuery(fieldKind, kind)}, filters...))
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	res, err := ix.run(ctx, r, q, runOptions{size: limit, score: "none", sort: search.SortOrder{
		&search.SortField{Field: fieldObjStart, Desc: true, Type: search.SortFieldAsDate},
		&search.SortDocID{},
	}})
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(res.hits))
	for _, h := range res.hits {
		blob, err := ix.storedField(r, h.ID, fieldBlob)
		if err != nil {
			return nil, err
		}
		if blob != nil {
			out = append(out, blob)
		}
	}
	return out, nil
}

// overlap restricts objects to those overlapping [from, to); zero bounds are open.
func overlap(from, to time.Time) []query.Query {
	var qs []query.Query
	if !to.IsZero() {
		qs = append(qs, timeRange(fieldObjStart, time.Time{}, to))
	}
	if !from.IsZero() {
		qs = append(qs, timeRange(fieldObjEnd, from, time.Time{}))
	}
	return qs
}

func (ix *Index) getObject(ctx context.Context, kind, id string, v any) error {
	if err := ix.checkOpen(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("index: %s %q: %w", kind, id, outcry.ErrNotFound)
	}
	r, err := ix.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	blob, err := ix.storedField(r, objectID(kind, id), fieldBlob)
	if err != nil {
		return err
	}
	if blob == nil {
		return fmt.Errorf("index: %s %q: %w", kind, id, outcry.ErrNotFound)
	}
	if err := json.Unmarshal(blob, v); err != nil {
		return fmt.Errorf("index: decode %s %q: %w", kind, id, err)
	}
	return nil
}

func decodeAll[T any](kind string, blobs [][]byte) ([]T, error) {
	out := make([]T, 0, len(blobs))
	for _, b := range blobs {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("index: decode %s: %w", kind, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// RecordIncidents stores incidents, replacing any stored one with the same ID, in one
// durable batch. An incident without ID or with a Start outside years 1900-2200 is
// ErrInvalid and nothing is written.
func (ix *Index) RecordIncidents(ctx context.Context, incs []outcry.Incident) error {
	docs := make([]*document.Document, 0, len(incs))
	for i := range incs {
		inc := &incs[i]
		var end time.Time
		if inc.End != nil {
			end = *inc.End
		}
		d, err := objectDocument(kindIncident, inc.ID, inc.Service, string(inc.State), inc.Start, end, inc)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	return ix.writeDocs(ctx, docs, nil)
}

// IncidentFilter selects incidents. Zero fields do not filter. From/To keep incidents
// overlapping [From, To) (open ones extend to the future). Limit 0 means up to 10,000.
type IncidentFilter struct {
	Service string
	State   outcry.IncidentState
	From    time.Time
	To      time.Time
	Limit   int
}

// Incidents returns the incidents matching f, newest Start first.
func (ix *Index) Incidents(ctx context.Context, f IncidentFilter) ([]outcry.Incident, error) {
	filters := overlap(f.From, f.To)
	if f.Service != "" {
		filters = append(filters, termQuery(fieldObjService, f.Service))
	}
	if f.State != "" {
		filters = append(filters, termQuery(fieldObjState, string(f.State)))
	}
	blobs, err := ix.listObjects(ctx, kindIncident, filters, f.Limit)
	if err != nil {
		return nil, err
	}
	return decodeAll[outcry.Incident](kindIncident, blobs)
}

// Incident returns the incident with id; ErrNotFound when there is none.
func (ix *Index) Incident(ctx context.Context, id string) (outcry.Incident, error) {
	var inc outcry.Incident
	err := ix.getObject(ctx, kindIncident, id, &inc)
	return inc, err
}

// RecordEvents stores correlated events, replacing any with the same ID, durably.
func (ix *Index) RecordEvents(ctx context.Context, evs []outcry.Event) error {
	docs := make([]*document.Document, 0, len(evs))
	for i := range evs {
		ev := &evs[i]
		d, err := objectDocument(kindEvent, ev.ID, "", "", ev.Start, ev.Start, ev)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	return ix.writeDocs(ctx, docs, nil)
}

// Events returns the events whose Start is in [from, to) (zero bounds are open),
// newest first, at most 10,000.
func (ix *Index) Events(ctx context.Context, from, to time.Time) ([]outcry.Event, error) {
	var filters []query.Query
	if !from.IsZero() || !to.IsZero() {
		filters = append(filters, timeRange(fieldObjStart, from, to))
	}
	blobs, err := ix.listObjects(ctx, kindEvent, filters, 0)
	if err != nil {
		return nil, err
	}
	return decodeAll[outcry.Event](kindEvent, blobs)
}

// Event returns the event with id; ErrNotFound when there is none.
func (ix *Index) Event(ctx context.Context, id string) (outcry.Event, error) {
	var ev outcry.Event
	err := ix.getObject(ctx, kindEvent, id, &ev)
	return ev, err
}

// RecordOfficial stores official status incidents, replacing earlier versions by ID,
// and, when cursor is non-empty, the cursor of source, all in one durable batch.
func (ix *Index) RecordOfficial(ctx context.Context, source string, incs []outcry.OfficialIncident, cursor string) error {
	docs := make([]*document.Document, 0, len(incs))
	for i := range incs {
		oi := &incs[i]
		if oi.Source == "" {
			oi.Source = source
		}
		var end time.Time
		if oi.End != nil {
			end = *oi.End
		}
		d, err := objectDocument(kindOfficial, oi.ID, oi.Service, "", oi.Start, end, oi)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	var cursors map[string]string
	if cursor != "" {
		cursors = map[string]string{source: cursor}
	}
	return ix.writeDocs(ctx, docs, cursors)
}

// Official returns the official incidents of service ("" = all) overlapping
// [from, to) (zero bounds are open; unresolved ones extend to the future), newest
// Start first, at most 10,000.
func (ix *Index) Official(ctx context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error) {
	filters := overlap(from, to)
	if service != "" {
		filters = append(filters, termQuery(fieldObjService, service))
	}
	blobs, err := ix.listObjects(ctx, kindOfficial, filters, 0)
	if err != nil {
		return nil, err
	}
	return decodeAll[outcry.OfficialIncident](kindOfficial, blobs)
}

// SetState stores value under key, durably on return. An empty value deletes the key.
// An empty key is ErrInvalid.
func (ix *Index) SetState(ctx context.Context, key string, value []byte) error {
	if key == "" {
		return invalidf("empty state key")
	}
	if err := ix.lockWrite(ctx); err != nil {
		return err
	}
	defer ix.unlockWrite()
	batch := ix.bleve().NewBatch()
	id := objectID(kindState, key)
	if len(value) == 0 {
		batch.Delete(id)
	} else if err := batch.IndexAdvanced(blobDocument(id, kindState, value)); err != nil {
		return fmt.Errorf("index: batch: %w", err)
	}
	if err := ix.write(batch); err != nil {
		return fmt.Errorf("index: write state %q: %w", key, err)
	}
	return nil
}

// State returns the value stored under key, nil when absent.
func (ix *Index) State(key string) ([]byte, error) {
	if err := ix.checkOpen(); err != nil {
		return nil, err
	}
	if key == "" {
		return nil, nil
	}
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	v, err := ix.storedField(r, objectID(kindState, key), fieldBlob)
	if len(v) == 0 {
		return nil, err
	}
	return v, err
}
