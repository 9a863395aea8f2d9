// Command mockctl drives the control API of the mock Capgo server
// (internal/mockserver/cmd/capgo-mock): it does what a person would do in the
// Capgo console, such as accepting an invitation, and shows the mock's state.
//
//	mockctl [-url URL] accept ORG_ID EMAIL   the invitee accepts their pending invitation
//	mockctl [-url URL] organizations         one line per organization: ID, a tab, its name
//	mockctl [-url URL] state                 the mock's whole state, as JSON
//
// URL is the mock's base URL, as it prints it on start; it defaults to
// $CAPGO_API_URL. Errors go to standard error, with exit status 1.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// requestTimeout bounds the command's one call: the mock answers control
// calls at once.
const requestTimeout = 10 * time.Second

const usage = `usage:
  mockctl [-url URL] accept ORG_ID EMAIL   the invitee accepts their pending invitation
  mockctl [-url URL] organizations         one line per organization: ID, a tab, its name
  mockctl [-url URL] state                 the mock's whole state, as JSON

URL defaults to $CAPGO_API_URL.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "mockctl: %v\n", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("mockctl", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	baseURL := flags.String("url", os.Getenv("CAPGO_API_URL"), "the mock's base URL")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *baseURL == "" {
		return errors.New("no mock URL: pass -url or set CAPGO_API_URL")
	}
	mock := mockserver.NewControlClient(*baseURL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()

	args = flags.Args()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch command, params := args[0], args[1:]; {
	case command == "accept" && len(params) == 2:
		if err := mock.AcceptInvitation(ctx, params[0], params[1]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s accepted the invitation to organization %s\n", params[1], params[0])
		return nil
	case command == "organizations" && len(params) == 0:
		state, err := mock.State(ctx)
		if err != nil {
			return err
		}
		for _, org := range state.Organizations {
			fmt.Fprintf(stdout, "%s\t%s\n", org.ID, org.Name)
		}
		return nil
	case command == "state" && len(params) == 0:
		// As the mock sends it: the state decoded and encoded again would
		// show the fields of both dialects.
		raw, err := mock.StateJSON(ctx)
		if err != nil {
			return err
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, raw, "", "  "); err != nil {
			return fmt.Errorf("reading the mock's state: %w", err)
		}
		pretty.WriteByte('\n')
		_, err = pretty.WriteTo(stdout)
		return err
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command or wrong number of arguments: %s", strings.Join(args, " "))
	}
}
