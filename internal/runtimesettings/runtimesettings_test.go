package runtimesettings

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestDefaultLogLevels(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		want     string // of every SDK logger but TF_LOG_SDK_PROTO
		wantSDKP string // of TF_LOG_SDK_PROTO
	}{
		{name: "no logging asked for", env: map[string]string{}, want: "OFF", wantSDKP: "OFF"},
		{name: "TF_LOG", env: map[string]string{"TF_LOG": "trace"}, want: "TRACE", wantSDKP: "TRACE"},
		{name: "TF_LOG_PROVIDER wins", env: map[string]string{"TF_LOG": "trace", "TF_LOG_PROVIDER": "warn"}, want: "WARN", wantSDKP: "WARN"},
		{name: "an explicit level stays", env: map[string]string{"TF_LOG": "debug", "TF_LOG_SDK_PROTO": "trace"}, want: "DEBUG", wantSDKP: "trace"},
		{name: "JSON is left to the SDK", env: map[string]string{"TF_LOG": "json"}, want: "", wantSDKP: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, sdkLogLevelVariables...) {
				t.Setenv(name, "")
				_ = os.Unsetenv(name) // t.Setenv restores it afterwards
			}
			for name, value := range tt.env {
				t.Setenv(name, value)
			}
			DefaultLogLevels()
			for _, name := range sdkLogLevelVariables {
				want := tt.want
				if name == "TF_LOG_SDK_PROTO" {
					want = tt.wantSDKP
				}
				if got := os.Getenv(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestCollectGarbageLessOften(t *testing.T) {
	original := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(original) })

	t.Setenv("GOGC", "")
	_ = os.Unsetenv("GOGC")
	CollectGarbageLessOften()
	if got := debug.SetGCPercent(77); got != gcPercent {
		t.Fatalf("without GOGC the GC percent is %d, want %d", got, gcPercent)
	}

	t.Setenv("GOGC", "50") // the runtime applied it at start; the provider must not override it
	CollectGarbageLessOften()
	if got := debug.SetGCPercent(100); got != 77 {
		t.Fatalf("with GOGC set the GC percent was changed to %d", got)
	}
}
