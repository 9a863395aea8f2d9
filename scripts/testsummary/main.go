// Command testsummary reads the output of `go test -json` on standard input and
// prints one line per package, and a total, with how many tests passed, were
// skipped and failed, and how long each package took. A test is counted when it
// has no subtests, and each of its subtests otherwise (so that a test whose
// subtests were all skipped counts as skipped, not passed). The output of a
// failing test is printed in full, as is any line that is not a test event (a
// build error).
//
//	go test -json ./... | testsummary [-label LABEL]
//
// The exit status is 1 when a test or a package failed, or when no test ran.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is the part of a test2json event that the summary needs.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// counts are the results of one package.
type counts struct {
	results          map[string]string // test name: pass, skip or fail
	pass, skip, fail int
	elapsed          float64
	failed           bool // the package itself failed (a build error, a panic, a failing test)
	noTests          bool // the package has no test files
}

func main() {
	label := flag.String("label", "", "a name for this run, printed before each summary line")
	flag.Parse()
	ok, err := summarize(os.Stdin, os.Stdout, *label)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// summarize reads events from in and writes the summary to out. It reports
// whether every package passed and at least one test ran.
func summarize(in io.Reader, out io.Writer, label string) (bool, error) {
	packages := map[string]*counts{}
	outputs := map[string][]string{} // package + " " + test: the test's output so far
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		var e event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
			fmt.Fprintln(out, line)
			continue
		}
		if e.Package == "" {
			if e.Output != "" {
				fmt.Fprint(out, e.Output)
			}
			continue
		}
		c := packages[e.Package]
		if c == nil {
			c = &counts{}
			packages[e.Package] = c
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output", "build-output":
			if e.Test == "" {
				if e.Action == "build-output" {
					fmt.Fprint(out, e.Output)
				} else {
					outputs[key] = append(outputs[key], e.Output)
				}
			} else {
				outputs[key] = append(outputs[key], e.Output)
			}
		case "pass", "skip", "fail":
			if e.Test == "" {
				c.elapsed = e.Elapsed
				c.noTests = e.Action == "skip"
				if e.Action == "fail" {
					c.failed = true
					fmt.Fprint(out, strings.Join(outputs[key], ""))
				}
				delete(outputs, key)
				continue
			}
			if c.results == nil {
				c.results = map[string]string{}
			}
			c.results[e.Test] = e.Action
			if e.Action == "fail" {
				fmt.Fprint(out, strings.Join(outputs[key], ""))
			}
			delete(outputs, key)
		}
	}
	if err := scanner.Err(); err != nil {
		return false, err
	}

	names := make([]string, 0, len(packages))
	for name := range packages {
		names = append(names, name)
	}
	sort.Strings(names)
	prefix := ""
	if label != "" {
		prefix = label + ": "
	}
	var total counts
	for _, name := range names {
		c := packages[name]
		if c.noTests {
			continue
		}
		c.count()
		status := "ok"
		if c.failed || c.fail > 0 {
			status = "FAIL"
			total.failed = true
		}
		fmt.Fprintf(out, "%s%-4s %s: %d passed, %d skipped, %d failed in %.1fs\n", prefix, status, name, c.pass, c.skip, c.fail, c.elapsed)
		total.pass += c.pass
		total.skip += c.skip
		total.fail += c.fail
	}
	if len(names) > 1 {
		fmt.Fprintf(out, "%stotal: %d passed, %d skipped, %d failed\n", prefix, total.pass, total.skip, total.fail)
	}
	if total.pass+total.skip+total.fail == 0 {
		fmt.Fprintf(out, "%sno test ran\n", prefix)
		return false, nil
	}
	return !total.failed && total.fail == 0, nil
}

// count sets pass, skip and fail from results, counting the tests that have no
// subtests.
func (c *counts) count() {
	parents := map[string]bool{}
	for name := range c.results {
		for i := strings.LastIndexByte(name, '/'); i > 0; i = strings.LastIndexByte(name[:i], '/') {
			parents[name[:i]] = true
		}
	}
	for name, result := range c.results {
		if parents[name] {
			continue
		}
		switch result {
		case "pass":
			c.pass++
		case "skip":
			c.skip++
		case "fail":
			c.fail++
		}
	}
}
