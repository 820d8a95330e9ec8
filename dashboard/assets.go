package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed assets/echarts.min.js assets/app.js assets/style.css assets/favicon.svg
//go:embed assets/ECHARTS-LICENSE assets/ECHARTS-NOTICE assets/ECHARTS-LICENSE-d3
var assetFS embed.FS

//go:embed openapi.json
var openAPIDoc []byte

// serveAsset serves an embedded file with a strong ETag; /assets/ names carry no hash,
// so browsers revalidate after an hour.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if name == "" || strings.Contains(name, "..") || strings.Contains(name, "/") {
		s.fail(w, r, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "no such asset"})
		return
	}
	data, err := assetFS.ReadFile("assets/" + name)
	if err != nil {
		s.fail(w, r, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "no such asset"})
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" || strings.HasPrefix(name, "ECHARTS-") {
		ctype = "text/plain; charset=utf-8"
	}
	serveBytes(w, r, ctype, "public, max-age=3600", data)
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	serveBytes(w, r, "application/json; charset=utf-8", "no-cache", openAPIDoc)
}

func serveBytes(w http.ResponseWriter, r *http.Request, ctype, cache string, data []byte) {
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", cache)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(data)
}
