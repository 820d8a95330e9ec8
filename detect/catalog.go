package detect

import (
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/outcry/outcry"
)

//go:embed catalog.yaml
var catalogYAML []byte

// Catalog is an immutable set of services, keyed by id. It is safe for concurrent use;
// Merge returns a new Catalog and never changes the receiver. Accessors return copies.
type Catalog struct {
	services []outcry.Service // enabled services, sorted by id
	byID     map[string]int
}

// defaultCatalog parses the embedded catalog once; TestDefaultCatalogParses proves it
// cannot fail, so a failure here is a build defect and panics.
var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := ParseCatalog("catalog.yaml", catalogYAML)
	if err != nil {
		panic("detect: embedded catalog: " + err.Error())
	}
	return c
})

// DefaultCatalog returns the built-in catalog embedded from catalog.yaml. Every call
// returns the same immutable value.
func DefaultCatalog() *Catalog { return defaultCatalog() }

// Services returns the enabled services sorted by id. The slice and the services' lists
// are copies the caller may change.
func (c *Catalog) Services() []outcry.Service {
	out := make([]outcry.Service, len(c.services))
	for i, s := range c.services {
		out[i] = catCloneService(s)
	}
	return out
}

// Service returns the service with the given id and whether it exists (and is enabled).
func (c *Catalog) Service(id string) (outcry.Service, bool) {
	i, ok := c.byID[id]
	if !ok {
		return outcry.Service{}, false
	}
	return catCloneService(c.services[i]), true
}

// IDs returns the ids of the enabled services, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.services))
	for i, s := range c.services {
		ids[i] = s.ID
	}
	return ids
}

// Len reports how many enabled services the catalog holds.
func (c *Catalog) Len() int { return len(c.services) }

// Merge applies user overrides and returns the resulting catalog. An override whose id
// exists replaces the fields it sets (non-empty strings and lists) and `disabled: true`
// removes that service; an override with a new id adds a service. Disabling an id the
// catalog does not hold, giving the same id twice, or producing an invalid service
// (see ParseCatalog) is an error wrapping outcry.ErrInvalid that names the override as
// services[i]. The receiver is unchanged.
func (c *Catalog) Merge(overrides []outcry.Service) (*Catalog, error) {
	merged := make([]outcry.Service, 0, len(c.services)+len(overrides))
	origin := make([]string, 0, cap(merged))
	index := make(map[string]int, cap(merged))
	for _, s := range c.services {
		index[s.ID] = len(merged)
		merged = append(merged, catCloneService(s))
		origin = append(origin, "")
	}
	removed := make([]bool, len(merged), cap(merged))
	seen := make(map[string]bool, len(overrides))
	for i, o := range overrides {
		where := fmt.Sprintf("services[%d]", i)
		id := strings.TrimSpace(o.ID)
		if !catSlug.MatchString(id) {
			return nil, fmt.Errorf("catalog: %s.id: %q is not a lowercase slug (a-z, 0-9, '-'): %w", where, o.ID, outcry.ErrInvalid)
		}
		if seen[id] {
			return nil, fmt.Errorf("catalog: %s.id: %q is given twice: %w", where, id, outcry.ErrInvalid)
		}
		seen[id] = true
		j, exists := index[id]
		switch {
		case o.Disabled && !exists:
			return nil, fmt.Errorf("catalog: %s.id: %q: no such service to disable: %w", where, id, outcry.ErrInvalid)
		case o.Disabled:
			removed[j] = true
		case exists:
			catOverride(&merged[j], o)
			origin[j] = where
		default:
			s := catCloneService(o)
			s.ID = id
			index[id] = len(merged)
			merged = append(merged, s)
			origin = append(origin, where)
			removed = append(removed, false)
		}
	}
	var kept []outcry.Service
	var keptOrigin []string
	for i, s := range merged {
		if !removed[i] {
			kept = append(kept, s)
			keptOrigin = append(keptOrigin, origin[i])
		}
	}
	return catBuild(kept, func(i int, field string) string {
		if keptOrigin[i] == "" {
			return fmt.Sprintf("catalog: service %q: %s", kept[i].ID, field)
		}
		return fmt.Sprintf("catalog: %s (id %q).%s", keptOrigin[i], kept[i].ID, field)
	})
}

// catOverride copies the fields o sets onto s.
func catOverride(s *outcry.Service, o outcry.Service) {
	set := func(dst *string, v string) {
		if strings.TrimSpace(v) != "" {
			*dst = v
		}
	}
	setList := func(dst *[]string, v []string) {
		if len(v) > 0 {
			*dst = slices.Clone(v)
		}
	}
	set(&s.Name, o.Name)
	set(&s.Category, o.Category)
	setList(&s.Aliases, o.Aliases)
	setList(&s.Weak, o.Weak)
	setList(&s.Keywords, o.Keywords)
	set(&s.StatusURL, o.StatusURL)
	set(&s.StatusPage, o.StatusPage)
}

// ParseCatalog decodes a catalog file: a YAML mapping with one key, services, holding a
// list of services with the fields of outcry.Service (id, name, category, aliases, weak,
// keywords, status_url, status_page, disabled). Unknown or repeated keys, wrong types and
// invalid services are errors that name the file, line and field
// ("catalog.yaml:12: services[3].aliases: ...") and wrap outcry.ErrInvalid.
//
// A valid service has a unique lowercase slug id, a non-empty name, at least one alias,
// and absolute http(s) URLs; no alias may name two services. Services marked disabled
// are dropped.
func ParseCatalog(name string, data []byte) (*Catalog, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, catYAMLError(name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty catalog: %w", name, outcry.ErrInvalid)
	}
	root := catDeref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, catErrAt(name, root, "", "want a mapping with a services list, got %s", catKind(root))
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], catDeref(root.Content[i+1])
		switch k.Value {
		case "services":
			if list != nil {
				return nil, catErrAt(name, k, "services", "given twice")
			}
			list = v
		default:
			return nil, catErrAt(name, k, k.Value, "unknown field")
		}
	}
	if list == nil {
		return nil, catErrAt(name, root, "services", "missing")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, catErrAt(name, list, "services", "want a list, got %s", catKind(list))
	}
	var services []outcry.Service
	var nodes []*yaml.Node // for error positions: the service's node or its field's
	var idx []int          // position in the file's list
	for i, n := range list.Content {
		n = catDeref(n)
		s, err := catDecodeService(name, fmt.Sprintf("services[%d]", i), n)
		if err != nil {
			return nil, err
		}
		if s.Disabled {
			continue
		}
		services = append(services, s)
		nodes = append(nodes, n)
		idx = append(idx, i)
	}
	if len(services) == 0 {
		return nil, catErrAt(name, list, "services", "no enabled services")
	}
	return catBuild(services, func(i int, field string) string {
		line := nodes[i].Line
		if fn := catFieldNode(nodes[i], field); fn != nil {
			line = fn.Line
		}
		return fmt.Sprintf("%s:%d: services[%d].%s", name, line, idx[i], field)
	})
}

// catBuild validates services and assembles a Catalog. where(i, field) names service i's
// field for error messages.
func catBuild(services []outcry.Service, where func(i int, field string) string) (*Catalog, error) {
	c := &Catalog{byID: make(map[string]int, len(services))}
	owner := make(map[string]string) // normalised alias -> service id
	for i := range services {
		s := &services[i]
		if err := catValidate(s, owner, func(field string) string { return where(i, field) }); err != nil {
			return nil, err
		}
		if _, dup := c.byID[s.ID]; dup {
			return nil, fmt.Errorf("%s: %q is used by two services: %w", where(i, "id"), s.ID, outcry.ErrInvalid)
		}
		c.byID[s.ID] = i
	}
	c.services = services
	slices.SortFunc(c.services, func(a, b outcry.Service) int { return strings.Compare(a.ID, b.ID) })
	for i, s := range c.services {
		c.byID[s.ID] = i
	}
	return c, nil
}

var (
	catSlug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// catValidate checks one service, trims its strings and removes duplicate names.
// owner maps every normalised alias seen so far to its service.
func catValidate(s *outcry.Service, owner map[string]string, where func(field string) string) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: %s: %w", where(field), fmt.Sprintf(format, args...), outcry.ErrInvalid)
	}
	s.ID = strings.TrimSpace(s.ID)
	if !catSlug.MatchString(s.ID) || len(s.ID) > 64 {
		return bad("id", "%q is not a lowercase slug (a-z, 0-9, '-', at most 64 bytes)", s.ID)
	}
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return bad("name", "empty")
	}
	s.Category = strings.TrimSpace(s.Category)
	if s.Category != "" && !catSlug.MatchString(s.Category) {
		return bad("category", "%q is not a lowercase slug", s.Category)
	}
	if len(s.Aliases) == 0 {
		return bad("aliases", "at least one alias is required")
	}
	local := make(map[string]bool)
	clean := func(field string, list []string) ([]string, error) {
		out := list[:0]
		for j, a := range list {
			a = strings.TrimSpace(a)
			key := matchNormalizeString(a)
			if key == "" {
				return nil, bad(fmt.Sprintf("%s[%d]", field, j), "%q has no letters or digits", a)
			}
			if local[key] {
				continue // "chat gpt" and "chat-gpt" normalise alike: keep one
			}
			local[key] = true
			if field != "keywords" {
				if other, taken := owner[key]; taken && other != s.ID {
					return nil, bad(fmt.Sprintf("%s[%d]", field, j), "%q is also a name of service %q", a, other)
				}
			}
			out = append(out, a)
		}
		return out, nil
	}
	var err error
	if s.Aliases, err = clean("aliases", s.Aliases); err != nil {
		return err
	}
	if s.Weak, err = clean("weak", s.Weak); err != nil {
		return err
	}
	clear(local) // keywords may repeat a name: they are context, not identity
	if s.Keywords, err = clean("keywords", s.Keywords); err != nil {
		return err
	}
	for _, list := range [][]string{s.Aliases, s.Weak} {
		for _, a := range list {
			owner[matchNormalizeString(a)] = s.ID
		}
	}
	for _, f := range []struct {
		field string
		v     *string
	}{{"status_url", &s.StatusURL}, {"status_page", &s.StatusPage}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" {
			continue
		}
		u, err := url.Parse(*f.v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad(f.field, "%q is not an absolute http(s) URL", *f.v)
		}
	}
	return nil
}

// catDecodeService decodes one list entry with known-field checking.
func catDecodeService(file, path string, n *yaml.Node) (outcry.Service, error) {
	var s outcry.Service
	if n.Kind != yaml.MappingNode {
		return s, catErrAt(file, n, path, "want a mapping, got %s", catKind(n))
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], catDeref(n.Content[i+1])
		field := path + "." + k.Value
		if seen[k.Value] {
			return s, catErrAt(file, k, field, "given twice")
		}
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "id":
			s.ID, err = catString(file, field, v)
		case "name":
			s.Name, err = catString(file, field, v)
		case "category":
			s.Category, err = catString(file, field, v)
		case "status_url":
			s.StatusURL, err = catString(file, field, v)
		case "status_page":
			s.StatusPage, err = catString(file, field, v)
		case "aliases":
			s.Aliases, err = catStrings(file, field, v)
		case "weak":
			s.Weak, err = catStrings(file, field, v)
		case "keywords":
			s.Keywords, err = catStrings(file, field, v)
		case "disabled":
			if v.Kind != yaml.ScalarNode || v.Decode(&s.Disabled) != nil {
				err = catErrAt(file, v, field, "want true or false, got %q", v.Value)
			}
		default:
			err = catErrAt(file, k, field, "unknown field")
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

func catString(file, field string, v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", catErrAt(file, v, field, "want a string, got %s", catKind(v))
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return v.Value, nil
}

func catStrings(file, field string, v *yaml.Node) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, catErrAt(file, v, field, "want a list of strings, got %s", catKind(v))
	}
	out := make([]string, 0, len(v.Content))
	for i, e := range v.Content {
		e = catDeref(e)
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			return nil, catErrAt(file, e, fmt.Sprintf("%s[%d]", field, i), "want a string, got %s", catKind(e))
		}
		out = append(out, e.Value)
	}
	return out, nil
}

// catFieldNode finds the value node of a (possibly indexed) field such as "aliases[2]".
func catFieldNode(n *yaml.Node, field string) *yaml.Node {
	name, rest, _ := strings.Cut(field, "[")
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != name {
			continue
		}
		v := catDeref(n.Content[i+1])
		if rest == "" {
			return v
		}
		j, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
		if err != nil || v.Kind != yaml.SequenceNode || j >= len(v.Content) {
			return v
		}
		return v.Content[j]
	}
	return nil
}

func catDeref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func catKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected node"
}

func catErrAt(file string, n *yaml.Node, field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if field != "" {
		msg = field + ": " + msg
	}
	return fmt.Errorf("%s:%d: %s: %w", file, n.Line, msg, outcry.ErrInvalid)
}

var catYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// catYAMLError turns a yaml syntax error into "file:line: message".
func catYAMLError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: %s: %w", file, strings.Join(te.Errors, "; "), outcry.ErrInvalid)
	}
	if m := catYAMLLine.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s: %s: %w", file, m[1], m[2], outcry.ErrInvalid)
	}
	return fmt.Errorf("%s: %s: %w", file, strings.TrimPrefix(err.Error(), "yaml: "), outcry.ErrInvalid)
}

func catCloneService(s outcry.Service) outcry.Service {
	s.Aliases = slices.Clone(s.Aliases)
	s.Weak = slices.Clone(s.Weak)
	s.Keywords = slices.Clone(s.Keywords)
	return s
}
