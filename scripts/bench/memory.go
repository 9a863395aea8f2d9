package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// memoryWatch polls /proc for processes running one binary and keeps the largest peak resident
// set size (VmHWM) seen. The kernel keeps VmHWM as a high-water mark, so polling misses at most
// the growth of a process's last moments. Without /proc it sees nothing.
type memoryWatch struct {
	done    chan struct{}
	stopped chan struct{}
	peakKiB int64
}

func watchMemory(binary string) *memoryWatch {
	w := &memoryWatch{done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(w.stopped)
		ticker := time.NewTicker(memoryPollInterval)
		defer ticker.Stop()
		for {
			w.peakKiB = max(w.peakKiB, peakOf(binary))
			select {
			case <-w.done:
				return
			case <-ticker.C:
			}
		}
	}()
	return w
}

// stop ends the watch and returns the peak in KiB, 0 when no process was seen. It may be called
// more than once.
func (w *memoryWatch) stop() int64 {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	<-w.stopped
	return w.peakKiB
}

// peakOf is the largest VmHWM of the processes running binary now.
func peakOf(binary string) int64 {
	entries, _ := os.ReadDir("/proc")
	var peak int64
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != binary {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				// "VmHWM:	   12345 kB"
				kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					peak = max(peak, kib)
				}
			}
		}
	}
	return peak
}

func formatMiB(kib int64) string {
	if kib == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(kib)/1024)
}
