package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/Cap-go/terraform-provider-capgo/internal/provider"
	"github.com/Cap-go/terraform-provider-capgo/internal/runtimesettings"
)

// version and commit are set at build time by the release tooling
// (-ldflags "-X main.version=… -X main.commit=…").
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debugMode, printVersion bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&printVersion, "version", false, "print the version and exit")
	flag.Parse()

	if printVersion {
		fmt.Printf("terraform-provider-capgo %s (%s)\n", version, commit)
		return
	}

	if !debugMode {
		runtimesettings.DefaultLogLevels()
	}
	runtimesettings.CollectGarbageLessOften()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cap-go/capgo",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
