// Command livestate reads the state and statistics of a capgo-mock process for
// scripts/live-check.sh, which needs nothing beyond Go, bash and make to check them.
//
//	livestate -url URL named PREFIX      one line per organization whose name starts with PREFIX: ID, a tab, its name
//	livestate -url URL organization NAME the one organization named NAME, as compact JSON, members included
//	livestate -url URL requests          the public requests the mock has answered (requests_total)
//
// URL is the mock's base URL, as it prints it on start. Errors go to standard error, with exit
// status 1.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

const requestTimeout = 10 * time.Second

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "livestate: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("livestate", flag.ContinueOnError)
	baseURL := flags.String("url", "", "the mock's base URL")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *baseURL == "" {
		return errors.New("no mock URL: pass -url")
	}
	rest := flags.Args()
	if len(rest) == 0 {
		return errors.New("no command: named PREFIX, organization NAME or requests")
	}
	switch {
	case rest[0] == "named" && len(rest) == 2:
		orgs, err := organizations(*baseURL)
		if err != nil {
			return err
		}
		for _, org := range orgs {
			if strings.HasPrefix(org.Name, rest[1]) {
				fmt.Fprintf(stdout, "%s\t%s\n", org.ID, org.Name)
			}
		}
		return nil
	case rest[0] == "organization" && len(rest) == 2:
		orgs, err := organizations(*baseURL)
		if err != nil {
			return err
		}
		var found []organization
		for _, org := range orgs {
			if org.Name == rest[1] {
				found = append(found, org)
			}
		}
		if len(found) != 1 {
			return fmt.Errorf("the mock holds %d organizations named %q, not one", len(found), rest[1])
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, found[0].raw); err != nil {
			return err
		}
		fmt.Fprintln(stdout, compact.String())
		return nil
	case rest[0] == "requests" && len(rest) == 1:
		var stats struct {
			RequestsTotal *int64 `json:"requests_total"`
		}
		if err := get(*baseURL, "/_mock/stats", &stats); err != nil {
			return err
		}
		if stats.RequestsTotal == nil {
			return errors.New("GET /_mock/stats answered no requests_total")
		}
		fmt.Fprintln(stdout, *stats.RequestsTotal)
		return nil
	}
	return fmt.Errorf("unknown command or wrong number of arguments: %s", strings.Join(rest, " "))
}

// organization is one organization of GET /_mock/state: its name and ID, and the whole object.
type organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	raw  json.RawMessage
}

func organizations(baseURL string) ([]organization, error) {
	var state struct {
		Organizations []json.RawMessage `json:"organizations"`
	}
	if err := get(baseURL, "/_mock/state", &state); err != nil {
		return nil, err
	}
	orgs := make([]organization, 0, len(state.Organizations))
	for _, raw := range state.Organizations {
		var org organization
		if err := json.Unmarshal(raw, &org); err != nil {
			return nil, fmt.Errorf("an organization of GET /_mock/state: %w", err)
		}
		org.raw = raw
		orgs = append(orgs, org)
	}
	return orgs, nil
}

func get(baseURL, path string, into any) error {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
