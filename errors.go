package outcry

import "errors"

// ErrInvalid marks bad input from a user or a client: a malformed file row, a bad query
// parameter, an unknown config key. The API maps it to 400 and the CLI to exit code 2.
var ErrInvalid = errors.New("invalid")

// ErrNotFound marks a lookup of an id that does not exist. The API maps it to 404.
var ErrNotFound = errors.New("not found")
