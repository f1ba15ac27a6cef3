package inventory

import (
	"errors"
	"testing"
)

func TestRemove(t *testing.T) {
	s := Stock{"apple": 3}
	if err := s.Remove("apple", 2); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if s["apple"] != 1 {
		t.Errorf("apple = %d, want 1", s["apple"])
	}
}

func TestRemoveTooMany(t *testing.T) {
	s := Stock{"pear": 1}
	err := s.Remove("pear", 5)
	if !errors.Is(err, ErrOutOfStock) {
		t.Fatalf("err = %v, want ErrOutOfStock", err)
	}
	t.Logf("got the expected error: %v", err)
}

func TestTotal(t *testing.T) {
	cases := []struct {
		name  string
		stock Stock
		want  int
	}{
		{"empty", Stock{}, 0},
		{"two items", Stock{"a": 2, "b": 3}, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.stock.Total(); got != c.want {
				t.Errorf("Total() = %d, want %d", got, c.want)
			}
		})
	}
}

func TestSlowPath(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping slow path in -short mode")
	}
}
