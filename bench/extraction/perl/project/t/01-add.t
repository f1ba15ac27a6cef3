use strict; use warnings; use Test::More tests => 3;
use Calc;
is(Calc::add(2, 3), 5, 'add small numbers');
is(Calc::add(-1, 1), 0, 'add opposite numbers');
is(Calc::mean(2, 4, 6), 4, 'mean of three numbers');
