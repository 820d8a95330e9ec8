//go:build !linux && !darwin

package index

import "errors"

// diskStatus is not implemented here: writes are not checked before they start.
func diskStatus(string) (int64, bool, error) {
	return 0, false, errors.New("statfs not supported")
}
