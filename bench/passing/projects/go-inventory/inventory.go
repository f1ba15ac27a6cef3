// Package inventory keeps stock counts; it exists to produce real go build, vet and test output.
package inventory

import (
	"errors"
	"fmt"
)

// ErrOutOfStock is returned when a removal would make a count negative.
var ErrOutOfStock = errors.New("out of stock")

// Stock maps an item to its count.
type Stock map[string]int

// Remove takes n of item out of the stock.
func (s Stock) Remove(item string, n int) error {
	if s[item] < n {
		return fmt.Errorf("remove %d %s: %w", n, item, ErrOutOfStock)
	}
	s[item] -= n
	return nil
}

// Total counts every item.
func (s Stock) Total() int {
	total := 0
	for _, n := range s {
		total += n
	}
	return total
}
