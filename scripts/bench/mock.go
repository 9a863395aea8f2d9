package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// mock is the mock Capgo server, running as a process of its own.
type mock struct {
	cmd     *exec.Cmd
	log     string // its standard error
	exited  chan struct{}
	url     string
	apiKey  string // the API key of adminEmail
	control *mockserver.ControlClient
}

var listeningLine = regexp.MustCompile(`^capgo-mock listening on (http://127\.0\.0\.1:[0-9]+)$`)

// startMock starts the mock on a free loopback port and waits until it listens.
func startMock(binary, logPath string) (*mock, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	// Rate limits off: a measure must not depend on them unless its case sets them itself. The mock
	// speaks docs, whose reset keeps them off.
	args := []string{"--listen", "127.0.0.1:0", "--requests-per-window", "0", "--failed-auths", "0"}
	m := &mock{
		cmd:    exec.Command(binary, args...), //nolint:noctx // outlives every context: stop ends it with SIGTERM, also after Ctrl-C
		log:    logPath,
		exited: make(chan struct{}),
	}
	m.cmd.Stderr = logFile
	stdout, err := m.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	// The mock prints its address, then one line per API key, and nothing more.
	lines := make(chan string, 16)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			select {
			case lines <- scanner.Text():
			default:
			}
		}
		close(lines)
		_ = m.cmd.Wait()
		close(m.exited)
	}()

	deadline := time.After(mockStartTimeout)
	keyPrefix := "api key for " + adminEmail + ": "
	for m.url == "" || m.apiKey == "" {
		select {
		case line, ok := <-lines:
			switch {
			case !ok:
				<-m.exited
				return nil, fmt.Errorf("the mock server exited at start; its log:\n%s", m.logTail())
			case m.url == "":
				match := listeningLine.FindStringSubmatch(line)
				if match == nil {
					m.stop()
					return nil, fmt.Errorf("the mock server printed %q, expected \"capgo-mock listening on http://127.0.0.1:PORT\"", line)
				}
				m.url = match[1]
				m.control = mockserver.NewControlClient(m.url, &http.Client{Timeout: 30 * time.Second})
			case strings.HasPrefix(line, keyPrefix):
				m.apiKey = strings.TrimPrefix(line, keyPrefix)
			}
		case <-deadline:
			m.stop()
			return nil, fmt.Errorf("the mock server did not start within %s; its log:\n%s", mockStartTimeout, m.logTail())
		}
	}
	return m, nil
}

// stop asks the mock to stop, and kills it if it does not.
func (m *mock) stop() {
	select {
	case <-m.exited:
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(mockStopTimeout):
		fmt.Fprintf(os.Stderr, "bench: the mock server did not stop within %s; killing it\n", mockStopTimeout)
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
}

// logTail is the end of the mock's standard error, "" when it wrote nothing.
func (m *mock) logTail() string {
	data, _ := os.ReadFile(m.log)
	if len(bytes.TrimSpace(data)) == 0 {
		return ""
	}
	return tail(string(data), outputTailLines)
}

// since is what was counted after earlier. The counters are read rather than reset, because a
// reset of the mock also forgets its state.
func since(later, earlier mockserver.Stats) mockserver.Stats {
	d := mockserver.Stats{
		RequestsTotal:  later.RequestsTotal - earlier.RequestsTotal,
		ByRoute:        map[string]int64{},
		FaultsInjected: later.FaultsInjected - earlier.FaultsInjected,
	}
	for route, count := range later.ByRoute {
		if c := count - earlier.ByRoute[route]; c != 0 {
			d.ByRoute[route] = c
		}
	}
	return d
}

// freshMock resets the mock, which forgets the previous case's organizations and accounts and
// turns faults off, makes n member accounts, and adds the bench's latency to every request.
func (b *bench) freshMock(ctx context.Context, n int) error {
	if err := b.mock.control.Reset(ctx); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		if _, err := b.mock.control.CreateUser(ctx, memberEmail(i)); err != nil {
			return err
		}
	}
	return b.mock.control.SetFaults(ctx, mockserver.Faults{LatencyMS: b.opts.latencyMS})
}

// checkState makes sure the apply left one organization with its owner and n members.
func (m *mock) checkState(ctx context.Context, n int) error {
	state, err := m.control.State(ctx)
	if err != nil {
		return err
	}
	if len(state.Organizations) != 1 || len(state.Organizations[0].Members) != n+1 {
		members := make([]int, 0, len(state.Organizations))
		for _, o := range state.Organizations {
			members = append(members, len(o.Members))
		}
		return fmt.Errorf("after the apply the mock holds %d organizations with %v members, expected 1 with %d (the owner and %d members)",
			len(state.Organizations), members, n+1, n)
	}
	return nil
}
