// Command sweep deletes the organizations that the acceptance tests leave behind in a Capgo
// account after a broken live run (make testacc-live): every organization the key's user belongs
// to whose name starts with "tf-acc-", and nothing else. Run it with `make sweep`.
//
//	CAPGO_API_KEY=... [CAPGO_API_URL=https://api.capgo.app] go run ./scripts/sweep
//
// It prints one line per organization removed, its name and ID, then a summary line, and exits
// with status 1 when a deletion failed or the list could not be read.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// prefix starts the name of everything an acceptance test creates (tf-acc-<random>).
const prefix = "tf-acc-"

// maxRounds bounds how often the list is read again: Capgo lists at most
// capgo.OrganizationListLimit organizations per answer, so a user with more may need
// several rounds, each removing what the list showed.
const maxRounds = 100

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "sweep: %v\n", err)
		os.Exit(1)
	}
}

// swept reports whether the organization named name is one an acceptance test created.
func swept(name string) bool {
	return strings.HasPrefix(name, prefix)
}

// toSweep returns the organizations of orgs that swept selects, in their order.
func toSweep(orgs []capgo.Organization) []capgo.Organization {
	var out []capgo.Organization
	for _, org := range orgs {
		if swept(org.Name) {
			out = append(out, org)
		}
	}
	return out
}

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	apiKey := getenv("CAPGO_API_KEY")
	if apiKey == "" {
		return errors.New("CAPGO_API_KEY is not set: the API key of the Capgo account the live acceptance tests ran with")
	}
	baseURL := getenv("CAPGO_API_URL")
	if baseURL == "" {
		baseURL = capgo.DefaultBaseURL
	}
	client, err := capgo.NewClient(capgo.Config{
		BaseURL:   baseURL,
		APIKey:    apiKey,
		UserAgent: "terraform-provider-capgo-sweeper",
	})
	if err != nil {
		return fmt.Errorf("client for %s: %w", baseURL, err)
	}

	removed, failed := 0, 0
	for round := 0; round < maxRounds; round++ {
		orgs, err := client.ListOrganizations(ctx)
		if err != nil {
			return fmt.Errorf("listing the organizations at %s: %w", baseURL, err)
		}
		targets := toSweep(orgs)
		for _, org := range targets {
			if err := client.DeleteOrganization(ctx, org.ID); err != nil {
				failed++
				fmt.Fprintf(os.Stderr, "sweep: could not remove organization %q (%s): %v\n", org.Name, org.ID, err)
				continue
			}
			removed++
			fmt.Fprintf(stdout, "removed organization %q (%s)\n", org.Name, org.ID)
		}
		// Read the list again only when it may have been cut short and this round removed
		// something from it: otherwise everything there is to remove has been seen.
		if failed > 0 || len(targets) == 0 || !capgo.OrganizationListMayBeTruncated(len(orgs)) {
			break
		}
	}
	fmt.Fprintf(stdout, "sweep: removed %d organizations named %s*\n", removed, prefix)
	if failed > 0 {
		return fmt.Errorf("%d organizations named %s* could not be removed (above)", failed, prefix)
	}
	return nil
}
