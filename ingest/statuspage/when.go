package statuspage

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// zoneOffsets maps the zone abbreviations status pages print to their UTC offsets in
// minutes. time.Parse cannot be trusted with abbreviations (it invents a zero offset for
// any it does not know from the local zone). IST is read as India Standard Time.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0,
	"PST": -8 * 60, "PDT": -7 * 60, "PT": -7 * 60, "MST": -7 * 60, "MDT": -6 * 60,
	"CST": -6 * 60, "CDT": -5 * 60, "EST": -5 * 60, "EDT": -4 * 60, "ET": -4 * 60,
	"AKST": -9 * 60, "AKDT": -8 * 60, "HST": -10 * 60, "BRT": -3 * 60,
	"WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
	"MSK": 180, "IST": 330, "SGT": 480, "HKT": 480, "CST8": 480, "JST": 540, "KST": 540,
	"ACST": 570, "AEST": 600, "AEDT": 660, "AWST": 480, "NZST": 720, "NZDT": 780,
}

var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

const clockTail = `(\d{1,2})(?::|h)(\d{2})(?::(\d{2}))?\s*(?:([ap])(?:m\b|\.m\.|\b))?\s*(?:\(?([a-z]{1,5}|[+-]\d{2}:?\d{2}|utc\s*[+-]\s*\d{1,2}(?::?\d{2})?)\)?)?$`

var (
	// "Jun 4, 14:53 UTC", "Tue, Jun 4th 2024 - 2:53 PM PDT", "June 4, 2024 at 14:53 UTC"
	monthFirst = regexp.MustCompile(`(?i)^(?:[a-z]{3,9}\.?,?\s+)??([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:(?:at|-|–|,)\s+)?` + clockTail)
	// "4 Jun 2024, 14:53 UTC", "04 June 14:53 GMT"
	dayFirst = regexp.MustCompile(`(?i)^(?:[a-z]{3,9}\.?,?\s+)?(\d{1,2})\.?\s+([a-z]{3,9})\.?,?\s+(?:(\d{4}),?\s+)?(?:(?:at|-|–|,)\s+)?` + clockTail)
)

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.RFC1123Z,
	time.RFC1123,
}

// parseWhen reads a timeline date. Dates without a year take the year that puts them
// closest to ref (so an update on "Dec 31" of an entry published on 1 January lands in
// the previous year). Zone abbreviations come from zoneOffsets; an unknown one, or none,
// means UTC. It reports false when s is not a date it understands.
func parseWhen(s string, ref time.Time) (time.Time, bool) {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	var monthName, day, year string
	var clock []string
	if m := monthFirst.FindStringSubmatch(s); m != nil {
		monthName, day, year, clock = m[1], m[2], m[3], m[4:]
	} else if m := dayFirst.FindStringSubmatch(s); m != nil {
		day, monthName, year, clock = m[1], m[2], m[3], m[4:]
	} else {
		return time.Time{}, false
	}
	if len(monthName) < 3 {
		return time.Time{}, false
	}
	month, ok := months[strings.ToLower(monthName[:3])]
	if !ok {
		return time.Time{}, false
	}
	d, _ := strconv.Atoi(day)
	h, _ := strconv.Atoi(clock[0])
	mi, _ := strconv.Atoi(clock[1])
	sec, _ := strconv.Atoi(clock[2])
	switch strings.ToLower(clock[3]) {
	case "p":
		if h < 12 {
			h += 12
		}
	case "a":
		if h == 12 {
			h = 0
		}
	}
	if d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	offset := zoneOffset(clock[4])
	at := func(y int) time.Time {
		return time.Date(y, month, d, h, mi, sec, 0, time.UTC).Add(-time.Duration(offset) * time.Minute)
	}
	if year != "" {
		y, _ := strconv.Atoi(year)
		return at(y), true
	}
	if ref.IsZero() {
		return time.Time{}, false
	}
	best := at(ref.Year())
	for _, y := range []int{ref.Year() - 1, ref.Year() + 1} {
		if c := at(y); absDur(c.Sub(ref)) < absDur(best.Sub(ref)) {
			best = c
		}
	}
	return best, true
}

// zoneOffset returns the offset in minutes of a zone abbreviation or numeric offset
// ("+02:00", "UTC+2"); unknown zones count as UTC.
func zoneOffset(z string) int {
	z = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(z), " ", ""))
	z = strings.TrimPrefix(z, "UTC")
	z = strings.TrimPrefix(z, "GMT")
	if off, ok := zoneOffsets[z]; ok {
		return off
	}
	if len(z) < 2 || (z[0] != '+' && z[0] != '-') {
		return 0
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	var h, m int
	switch len(digits) {
	case 1, 2:
		h, _ = strconv.Atoi(digits)
	case 3, 4:
		h, _ = strconv.Atoi(digits[:len(digits)-2])
		m, _ = strconv.Atoi(digits[len(digits)-2:])
	default:
		return 0
	}
	if h > 14 || m > 59 {
		return 0
	}
	return sign * (h*60 + m)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// ulidTime decodes the millisecond timestamp at the start of a ULID (26 Crockford
// base32 characters), as incident.io uses for incident ids. It reports false for
// anything that is not a plausible ULID.
func ulidTime(id string) (time.Time, bool) {
	if len(id) != 26 {
		return time.Time{}, false
	}
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var ms uint64
	for i := 0; i < 10; i++ {
		k := strings.IndexByte(alphabet, upperASCII(id[i]))
		if k < 0 {
			return time.Time{}, false
		}
		ms = ms<<5 | uint64(k)
	}
	for i := 10; i < 26; i++ {
		if strings.IndexByte(alphabet, upperASCII(id[i])) < 0 {
			return time.Time{}, false
		}
	}
	t := time.UnixMilli(int64(ms)).UTC()
	// ULIDs of real incidents fall between incident.io's launch and the near future.
	if t.Year() < 2015 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
