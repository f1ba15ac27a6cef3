package Calc;
use strict; use warnings;
sub add { my ($a, $b) = @_; return $a + $b }
sub ratio { my ($a, $b) = @_; die "division by zero in ratio()\n" if $b == 0; return $a / $b }
sub mean { my @x = @_; my $s = 0; $s += $_ for @x; return $s / (@x - 1) }   # bug: off by one
1;
