//go:build linux || darwin

package index

import "syscall"

// diskStatus returns the bytes available to this process on the file system holding
// path and whether it is mounted read-only or path is not writable.
func diskStatus(path string) (free int64, readOnly bool, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, false, err
	}
	const rdonly = 1 // ST_RDONLY (linux), MNT_RDONLY (darwin)
	readOnly = uint64(st.Flags)&rdonly != 0 || syscall.Access(path, 2 /* W_OK */) != nil
	return int64(st.Bavail) * int64(st.Bsize), readOnly, nil
}
