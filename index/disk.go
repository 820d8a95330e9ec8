package index

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// Disk trouble. Bleve v2.6.3 (scorch with unsafe_batch=false) mishandles a batch whose
// persistence fails: Batch has already made the batch's in-memory segment part of the
// index snapshot when the write fails, then closes that segment as it returns the error,
// and the next read of the snapshot panics (a nil map in zapx's term dictionary cache).
// A full or read-only disk crashed the process at its next search or AddPosts. So:
//
//  1. Before each batch, write checks the file system (statfs): read-only, or less free
//     space than Config.MinFreeBytes plus the size of the index, refuses the write with
//     ErrReadOnly or ErrDiskFull and Bleve is not called. The index's own size is part
//     of the reserve because Bleve merges segments in the background, writing the
//     merged segment before it deletes the old ones: a merge can need as much room as
//     the segments it merges, and one running while a batch is persisted made that
//     batch fail with ENOSPC on a disk the plain reserve said had room. Queued posts stay queued (see AddPosts) and the next flush
//     tries again, so writes resume by themselves once space is freed.
//  2. A batch that fails anyway (a quota, an I/O error, another process filling the disk
//     between the check and the write) makes write reopen Bleve from disk, which drops
//     the damaged in-memory snapshot: the index is back to its last durable state, which
//     is what the Index's own state (counts, stats, cursors) still describes. A read
//     that took its snapshot between the failed write and the reopen can still hit the
//     closed segment; the check in 1 is what keeps that window from opening.

var (
	// ErrDiskFull is returned by writes when the data directory's file system has less
	// free space than Config.MinFreeBytes plus the size of the index.
	ErrDiskFull = errors.New("index: not enough free disk space")
	// ErrReadOnly is returned by writes when the data directory is on a read-only file
	// system or is not writable.
	ErrReadOnly = errors.New("index: data directory is read-only")
	// ErrUnusable is returned by reads and writes once a failed write could not
	// reopen the index from disk (its directory was removed or damaged meanwhile).
	ErrUnusable = errors.New("index: unusable")
)

// write checks the disk, then writes batch durably; a failed write reopens Bleve. The
// caller holds the write lock.
func (ix *Index) write(batch *bleve.Batch) error {
	ix.blMu.RLock()
	broken := ix.broken
	ix.blMu.RUnlock()
	if broken != nil {
		return broken
	}
	if err := ix.checkDisk(); err != nil {
		return err
	}
	err := ix.execBatch(batch)
	if err != nil {
		ix.reopen(err)
	}
	return err
}

// checkDisk refuses writes to a read-only or (nearly) full file system.
func (ix *Index) checkDisk() error {
	if ix.cfg.MinFreeBytes < 0 {
		return nil
	}
	free, readOnly, err := diskStatus(ix.path)
	switch {
	case err != nil:
		return nil // no statfs here: let the write tell
	case readOnly:
		return fmt.Errorf("%w: %s: writes paused until it is writable again", ErrReadOnly, ix.path)
	case free < ix.cfg.MinFreeBytes:
		return fmt.Errorf("%w: %s has %s free, less than the %s kept in reserve: writes paused until space is freed",
			ErrDiskFull, ix.path, fmtBytes(free), fmtBytes(ix.cfg.MinFreeBytes))
	}
	if size := dirBytes(ix.path); free < ix.cfg.MinFreeBytes+size {
		return fmt.Errorf("%w: %s has %s free, less than the %s kept in reserve plus %s for merging the index's segments: writes paused until space is freed",
			ErrDiskFull, ix.path, fmtBytes(free), fmtBytes(ix.cfg.MinFreeBytes), fmtBytes(size))
	}
	return nil
}

// dirBytes is the size of the files under dir (Bleve's store is one level deep);
// what cannot be read counts as nothing.
func dirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// reopen closes Bleve and opens it again from disk after a failed write (see the top
// of this file). Readers wait for it; the caller holds the write lock.
func (ix *Index) reopen(cause error) {
	ix.blMu.Lock()
	defer ix.blMu.Unlock()
	if err := ix.bl.Close(); err != nil {
		ix.log.Warn("closing the index after a failed write", "err", err)
	}
	bl, err := openExisting(ix.path)
	if err != nil {
		// Reads and writes now fail with this error; a restart is the way out and the
		// log says why.
		ix.broken = fmt.Errorf("%w: a write failed (%v) and reopening %s failed too (%v): restart outcry", ErrUnusable, cause, ix.path, err)
		ix.log.Error("cannot reopen the index after a failed write", "cause", cause, "err", err)
		return
	}
	ix.bl = bl
	ix.log.Warn("reopened the index after a failed write; it is back to its last durable state", "cause", cause)
}

func fmtBytes(n int64) string {
	const mib = 1 << 20
	if n >= mib || n <= -mib {
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	}
	return fmt.Sprintf("%d bytes", n)
}
