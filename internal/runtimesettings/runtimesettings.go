// Package runtimesettings tunes the provider process for Terraform's way of running it: many small
// requests, beside a Terraform process that needs the CPU too.
package runtimesettings

import (
	"os"
	"runtime/debug"
	"strings"
)

// sdkLogLevelVariables are the loggers of the plugin SDK, the framework and this provider.
var sdkLogLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CAPGO"}

// DefaultLogLevels has the SDK and provider loggers log no more than Terraform keeps. Unless told
// otherwise they log everything, and Terraform parses each line only to drop what its
// TF_LOG_PROVIDER (else TF_LOG) level excludes: everything when neither is set. Writing and
// parsing those lines cost more CPU than the provider's own work in a large plan (measured with
// make bench). A level set explicitly for one of the loggers is left alone.
func DefaultLogLevels() {
	level := strings.ToUpper(os.Getenv("TF_LOG_PROVIDER"))
	if level == "" {
		level = strings.ToUpper(os.Getenv("TF_LOG"))
	}
	switch level {
	case "":
		level = "OFF"
	case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF":
	default:
		return // JSON, or a level Terraform does not know and reads as TRACE
	}
	for _, name := range sdkLogLevelVariables {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, level)
		}
	}
}

// gcPercent is the heap growth between garbage collections. Every request Terraform sends
// allocates much and keeps little, and Terraform, running beside the provider, needs the CPU that
// frequent collections take; twice Go's default trades some memory (a few tens of MiB at 500
// members) for it.
const gcPercent = 200

// CollectGarbageLessOften applies gcPercent unless the user set GOGC.
func CollectGarbageLessOften() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}
