//go:build tools

package outcry

import (
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/coder/websocket"
	_ "github.com/dghubble/go-twitter/twitter"
	_ "github.com/go-echarts/go-echarts/v2/charts"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/term"
)
