// The standard packages MultiPL-E's Go prompts and tests import, compiled once into the image's cache.
package warm_test

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var _ = []interface{}{bytes.Equal, fmt.Sprint, math.Abs, reflect.DeepEqual, regexp.MustCompile, sort.Ints, strconv.Itoa, strings.Split, unicode.IsUpper}

func TestWarm(t *testing.T) {}
