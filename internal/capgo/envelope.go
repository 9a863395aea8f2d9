package capgo

import (
	"bytes"
	"encoding/json"
	"errors"
)

var errEmptyAnswer = errors.New("empty answer")

// payload returns what a success answer carries: the value of its "data"
// member when the answer is an object that has one (docs dialect, and rbac's
// PUT), else the whole answer (rbac's bare objects and arrays). found tells
// whether a "data" member was there.
func payload(body []byte) (raw json.RawMessage, found bool, err error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, false, errEmptyAnswer
	}
	if body[0] != '{' {
		return body, false, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return nil, false, err
	}
	if data, ok := members["data"]; ok {
		return data, true, nil
	}
	return body, false, nil
}

// isNull tells a JSON null (or nothing at all).
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// decodeList decodes a list answer, {"data": [...]} or a bare array, into a
// non-nil slice.
func decodeList[T any](body []byte) ([]T, error) {
	raw, _, err := payload(body)
	if err != nil {
		return nil, err
	}
	var items []T
	if !isNull(raw) {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
	}
	if items == nil {
		items = []T{}
	}
	return items, nil
}
