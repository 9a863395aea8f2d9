package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	input := strings.Join([]string{
		`{"Action":"run","Package":"example/a","Test":"TestOK"}`,
		`{"Action":"output","Package":"example/a","Test":"TestOK","Output":"quiet\n"}`,
		`{"Action":"pass","Package":"example/a","Test":"TestOK","Elapsed":0.1}`,
		`{"Action":"pass","Package":"example/a","Test":"TestOK/sub","Elapsed":0.1}`,
		`{"Action":"skip","Package":"example/a","Test":"TestGated/docs","Elapsed":0}`,
		`{"Action":"skip","Package":"example/a","Test":"TestGated/rbac","Elapsed":0}`,
		`{"Action":"pass","Package":"example/a","Test":"TestGated","Elapsed":0}`,
		`{"Action":"skip","Package":"example/a","Test":"TestSkipped","Elapsed":0}`,
		`{"Action":"output","Package":"example/a","Test":"TestBad","Output":"bad_test.go:1: wrong\n"}`,
		`{"Action":"fail","Package":"example/a","Test":"TestBad","Elapsed":0.2}`,
		`{"Action":"fail","Package":"example/a","Elapsed":1.5}`,
		`{"Action":"skip","Package":"example/empty","Elapsed":0}`,
		`# example/c`,
	}, "\n")
	var out strings.Builder
	ok, err := summarize(strings.NewReader(input), &out, "cli 1.0")
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Error("a failing test was reported as passing")
	}
	got := out.String()
	for _, want := range []string{
		"bad_test.go:1: wrong\n",
		"# example/c\n",
		"cli 1.0: FAIL example/a: 1 passed, 3 skipped, 1 failed in 1.5s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the summary lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"quiet", "example/empty"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("the summary shows %q:\n%s", unwanted, got)
		}
	}
}

func TestSummarizeNothingRan(t *testing.T) {
	var out strings.Builder
	ok, err := summarize(strings.NewReader(`{"Action":"skip","Package":"example/empty","Elapsed":0}`), &out, "")
	if err != nil || ok {
		t.Errorf("summarize = %v, %v; want false, nil", ok, err)
	}
}
