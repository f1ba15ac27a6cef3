use strict; use warnings; use Test::More tests => 2;
use Calc;
is(Calc::ratio(6, 3), 2, 'ratio of six and three');
is(Calc::ratio(1, 0), undef, 'ratio by zero is undef');
