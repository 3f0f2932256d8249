#!/usr/bin/perl
# Writes (to the file named by the second argument, or stdout) the 10,000 most common passwords (one per line, most common first) from zxcvbn's ranked
# dictionary, shipped by Debian's libdata-password-zxcvbn-perl. Run at build time; the list is
# compiled into the binary, so it needs no file at run time and none is kept in this repository.
use strict;
use warnings;
use Data::Password::zxcvbn::RankedDictionaries::Common;

my ($limit, $output) = @ARGV;
$limit //= 10000;
my $ranked = $Data::Password::zxcvbn::RankedDictionaries::Common::ranked_dictionaries{passwords}
  or die "zxcvbn's ranked 'passwords' dictionary is missing\n";
my @top = sort { $ranked->{$a} <=> $ranked->{$b} } grep { $ranked->{$_} <= $limit } keys %$ranked;
my $out = \*STDOUT;
if (defined $output) { open($out, '>', $output) or die "cannot write $output: $!\n"; }
print {$out} "$_\n" for @top;
close($out) or die "cannot write $output: $!\n";
