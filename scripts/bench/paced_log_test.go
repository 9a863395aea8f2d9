package main

import (
	"os"
	"strings"
	"testing"
)

// testdata/provider-debug.log is a real log of an apply of one organization and six members,
// written with TF_LOG_PROVIDER=DEBUG against a mock limited to 5 requests per 3 seconds and an
// unpaced provider: the mock counted 18 requests, 8 of them refused with 429. The framework's
// lines about computed attributes are left out. Each 429 also has a line of the retry policy with
// status=429, which must not be counted again.
func TestCountAnswersInARealLog(t *testing.T) {
	log, err := os.Open("testdata/provider-debug.log")
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	got, err := countAnswers(log)
	if err != nil {
		t.Fatal(err)
	}
	if want := (answerCounts{answers: 18, tooMany: 8}); got != want {
		t.Errorf("countAnswers = %+v, want %+v", got, want)
	}
}

func TestCountAnswersRejectsAnAnswerWithoutStatus(t *testing.T) {
	log := "2026-11-30T00:49:54.197Z [DEBUG] provider.terraform-provider-capgo: received answer: attempt=1 method=GET\n"
	if _, err := countAnswers(strings.NewReader(log)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("countAnswers = %v, want an error naming line 1", err)
	}
}
