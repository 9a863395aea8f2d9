package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// answerMarker starts the message the provider logs at DEBUG for every answer it receives
// (internal/capgo/transport.go), as Terraform writes it to TF_LOG_PATH:
//
//	... [DEBUG] provider.terraform-provider-capgo: received answer: attempt=1 ... status=429 ...
//
// Terraform writes the fields in no fixed order, and other messages carry a status too (a retried
// attempt is logged again by the retry policy), so only the fields of this message count.
const answerMarker = "provider." + providerBinary + ": received answer: "

// maxLogLine bounds one line of the log; the framework logs whole values at DEBUG.
const maxLogLine = 64 << 20

// answerCounts is what the provider's log tells of the answers it received.
type answerCounts struct {
	answers int // every answer, whatever its status
	tooMany int // answers with status 429
}

// countAnswers reads a Terraform log written with TF_LOG_PROVIDER=DEBUG. A "received answer"
// line without a status is an error: the log is not in the form this reader knows.
func countAnswers(log io.Reader) (answerCounts, error) {
	var c answerCounts
	scanner := bufio.NewScanner(log)
	scanner.Buffer(make([]byte, 0, 64<<10), maxLogLine)
	for line := 1; scanner.Scan(); line++ {
		_, fields, found := strings.Cut(scanner.Text(), answerMarker)
		if !found {
			continue
		}
		status, err := statusField(fields)
		if err != nil {
			return c, fmt.Errorf("line %d of the provider's log: %w", line, err)
		}
		c.answers++
		if status == 429 {
			c.tooMany++
		}
	}
	return c, scanner.Err()
}

// statusField finds status=NNN among the key=value fields of one message.
func statusField(fields string) (int, error) {
	for _, field := range strings.Fields(fields) {
		if value, ok := strings.CutPrefix(field, "status="); ok {
			status, err := strconv.Atoi(value)
			if err != nil {
				return 0, fmt.Errorf("status %q is not a number", value)
			}
			return status, nil
		}
	}
	return 0, fmt.Errorf("a received answer without a status: %q", fields)
}
