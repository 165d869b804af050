// Command go-basic is a sillage test fixture: a tiny Go module with two
// real third-party dependencies.
package main

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/pkg/errors"
)

func main() {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/sillage"))
	err := errors.Wrap(errors.New("fixture"), "go-basic")
	fmt.Println(id.String(), err)
}
