// Package detect turns matched posts into outage signals. It owns the service catalog
// (the embedded catalog.yaml and user overrides), the complaint matcher that decides which
// services a post names and whether it complains about them, per-service time series,
// the spike detectors, incident lifecycle, cross-service correlation and the evaluation
// of detectors against labelled data (NAB-style scoring).
//
// detect depends on the root package (github.com/outcry/outcry) and the standard library,
// plus go.yaml.in/yaml/v3 for the catalog; it never imports ingest, index, dashboard or
// cmd. Storage reaches it through small consumer-side interfaces.
package detect
