#!/usr/bin/perl
# Prints the 10,000 most common passwords (one per line, most common first) from zxcvbn's ranked
# dictionary, shipped by Debian's libdata-password-zxcvbn-perl. Run at build time; the list is
# compiled into the binary, so it needs no file at run time and none is kept in this repository.
use strict;
use warnings;
use Data::Password::zxcvbn::RankedDictionaries::Common;

my $limit = $ARGV[0] // 10000;
my $ranked = $Data::Password::zxcvbn::RankedDictionaries::Common::ranked_dictionaries{passwords}
  or die "zxcvbn's ranked 'passwords' dictionary is missing\n";
my @top = sort { $ranked->{$a} <=> $ranked->{$b} } grep { $ranked->{$_} <= $limit } keys %$ranked;
print "$_\n" for @top;
